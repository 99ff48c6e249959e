"""Database fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``MENTORBOT_TEST_POSTGRES_URL`` (CI sets it and starts the
server; there, an unreachable server fails the run instead of skipping). Without
the variable, a local server on 127.0.0.1:5432 is used when one answers, and the
PostgreSQL half is skipped, visibly, when none does. Each test gets a fresh
schema, migrated with the real Alembic migrations.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

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


def _postgres_engine(url: str) -> Iterator[Engine]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(f"{url}?options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


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


@pytest.fixture
def engine(db_url_kind, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if db_url_kind == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        migrate(eng)
        yield eng
        eng.dispose()
    else:
        assert POSTGRES_URL is not None
        for eng in _postgres_engine(POSTGRES_URL):
            migrate(eng)
            yield eng


@pytest.fixture
def pg_engine(postgres_url) -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database, for tests of PostgreSQL's own failures."""
    for eng in _postgres_engine(postgres_url):
        migrate(eng)
        yield eng
