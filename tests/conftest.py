"""Database fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``MENTORBOT_TEST_POSTGRES_URL`` (CI sets it and starts the
server; there, an unreachable server fails the run instead of skipping). Without
the variable, a local server on 127.0.0.1:5432 is used when one answers, and the
PostgreSQL half is skipped, visibly, when none does. Each test gets a database of
its own: a copy of one migrated with the real Alembic migrations once per session
(a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from bot.storage.db import make_engine, migrate

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str | None:
    url = os.environ.get("MENTORBOT_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        with create_engine(LOCAL_POSTGRES, connect_args={"connect_timeout": 2}).connect():
            return LOCAL_POSTGRES
    except Exception:
        return None


POSTGRES_URL = _postgres_url()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every PostgreSQL test is ``slow``: ``pytest -m "not slow"`` runs the product on SQLite alone."""
    for item in items:
        on_postgres = (
            getattr(item, "callspec", None) and item.callspec.params.get("db_url_kind") == "postgresql"
        )
        if on_postgres or "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def fresh_postgres(url: str, template: str | None = None) -> Iterator[Engine]:
    """A database of its own on the server at ``url``: a copy of ``template`` (a migrated database,
    copied by PostgreSQL in milliseconds), or empty; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    server = create_engine(
        url, isolation_level="AUTOCOMMIT", pool_pre_ping=True, connect_args={"connect_timeout": 5}
    )
    with server.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        server.dispose()


def require_postgres() -> str:
    """The PostgreSQL URL, or a visible skip (a failure in CI, where it must run)."""
    if POSTGRES_URL is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI but is not reachable")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432 (set MENTORBOT_TEST_POSTGRES_URL)")
    return POSTGRES_URL


@pytest.fixture
def postgres_url() -> str:
    return require_postgres()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url_kind(request) -> str:
    if request.param == "postgresql":
        require_postgres()
    return request.param


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    eng.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per test session, the template each test's is copied from."""
    url = require_postgres()
    for eng in fresh_postgres(url):
        migrate(eng)
        eng.dispose()  # a template must have no connections when it is copied
        assert eng.url.database is not None
        yield eng.url.database


@pytest.fixture
def engine(db_url_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if db_url_kind == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
        yield eng
        eng.dispose()
    else:
        assert POSTGRES_URL is not None
        yield from fresh_postgres(POSTGRES_URL, request.getfixturevalue("postgres_template"))


@pytest.fixture
def pg_engine(postgres_url: str, postgres_template: str) -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database, for tests of PostgreSQL's own failures."""
    yield from fresh_postgres(postgres_url, postgres_template)
