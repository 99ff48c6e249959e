"""Engines, transactions and schema migrations for SQLite (embedded) and PostgreSQL.

SQLite is tuned to behave like a small server: foreign keys on, WAL so readers do
not block the writer, and every transaction starting with ``BEGIN IMMEDIATE`` so
two writers queue up instead of failing halfway with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, text
from sqlmodel import Session, create_engine


class SchemaOutOfDate(RuntimeError):
    """The database schema is behind the code; run ``mentorbot migrate``."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" below decide
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection) -> None:  # noqa: ANN001
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # Enough connections for every listener thread and request thread of a web
    # process (see ``bot.app``) without opening and closing connections under load.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=12, pool_timeout=5)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed if the block finishes, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def ping(engine: Engine) -> bool:
    """True if the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def _alembic_config(engine: Engine) -> Config:
    here = resources.files(__package__)
    config = Config(str(Path(str(here)) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(str(here)) / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> str:
    """Upgrade the schema to the newest revision; return that revision."""
    command.upgrade(_alembic_config(engine), "head")
    return head_revision(engine)


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Make sure the schema is current before serving.

    The embedded SQLite default migrates itself (nobody else shares the file);
    PostgreSQL is shared by several processes, so an old schema stops start-up
    with one clear line and the operator runs ``mentorbot migrate`` (the Procfile's
    release step) once.
    """
    if engine.dialect.name == "sqlite":
        migrate(engine)
        return
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        raise SchemaOutOfDate(
            f"database schema is at {current or 'nothing'}, the code needs {head}: run `mentorbot migrate`"
        )


#: Largest id an integer primary key holds on both databases (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1


def row_id(text: object) -> int:
    """An id from a button value or modal metadata, or 0 (no row has it) for anything else.

    Slack payloads are untrusted: "²" passes ``str.isdigit`` but not ``int``, and a
    number beyond ``MAX_ID`` makes PostgreSQL raise instead of finding nothing.
    """
    value = str(text or "")
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return 0
    number = int(value)
    return number if number <= MAX_ID else 0
