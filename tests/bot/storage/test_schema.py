"""Schema migrations: SQLite migrates itself; an old PostgreSQL schema stops start-up."""

from __future__ import annotations

import pytest

from bot.storage.db import (
    SchemaOutOfDate,
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
    migrate,
)
from tests.conftest import fresh_postgres


def test_sqlite_default_migrates_itself(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    ensure_schema(engine)
    assert current_revision(engine) == head_revision(engine)


def test_out_of_date_postgres_refuses_with_one_clear_line(postgres_url):
    for engine in fresh_postgres(postgres_url):  # empty: never migrated
        with pytest.raises(SchemaOutOfDate, match="run `mentorbot migrate`"):
            ensure_schema(engine)
        migrate(engine)
        ensure_schema(engine)  # now fine


def test_migrations_build_exactly_the_models_schema(engine):
    """Alembic's autogenerate finds nothing to change: a model edit without a migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import bot.storage.models  # noqa: F401 - registers the tables on SQLModel.metadata

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
