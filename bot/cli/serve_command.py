"""``mentorbot serve`` (HTTP, production) and ``mentorbot socket`` (Socket Mode, development)."""

from __future__ import annotations

import logging
import os
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("socket")(socket)


def _refuse(exc: Exception) -> None:
    typer.echo(f"mentorbot: {exc}", err=True)
    raise typer.Exit(1)


def serve(
    workers: Annotated[int, typer.Option(help="Worker processes")] = int(
        os.environ.get("WEB_CONCURRENCY", "2")
    ),
    threads: Annotated[int, typer.Option(help="Threads per worker")] = 8,
) -> None:
    """Serve Slack's requests over HTTP on $PORT (gunicorn, several processes)."""
    from gunicorn.app.base import BaseApplication

    from bot.config import ConfigError, Settings
    from bot.storage.db import SchemaOutOfDate
    from bot.web import create_wsgi_app

    try:
        settings = Settings.from_env()
        application = create_wsgi_app()
    except (ConfigError, SchemaOutOfDate) as exc:
        _refuse(exc)

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"0.0.0.0:{settings.port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-",
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def socket() -> None:
    """Connect over Socket Mode (no public URL needed; for development)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import build_app
    from bot.config import ConfigError, Settings
    from bot.storage.db import SchemaOutOfDate, ensure_schema, make_engine

    try:
        settings = Settings.from_env(need=("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"))
        engine = make_engine(settings.database_url)
        ensure_schema(engine)
    except (ConfigError, SchemaOutOfDate) as exc:
        _refuse(exc)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    SocketModeHandler(build_app(settings, engine), settings.slack_app_token).start()
