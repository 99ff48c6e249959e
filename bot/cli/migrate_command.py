"""``mentorbot migrate``: bring the database schema up to date (the Procfile's release step)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate_database)


def migrate_database() -> None:
    """Upgrade the schema of $DATABASE_URL (a SQLite file when unset) to the newest revision."""
    from bot.config import Settings
    from bot.storage.db import make_engine, migrate

    engine = make_engine(Settings.from_env().database_url)
    revision = migrate(engine)
    typer.echo(f"database schema is at revision {revision}")
