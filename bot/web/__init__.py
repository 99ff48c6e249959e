"""The HTTP entry point: Slack posts to ``/slack/events``; ``/healthz`` checks the database;
``/admin`` is the program admins' dashboard (``bot.web.dashboard``).

A plain WSGI application, served by gunicorn in production (see the Procfile) and
by ``mentorbot serve``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bot.app import build_app
from bot.clock import utcnow
from bot.config import Settings
from bot.slack_clients import client_factory
from bot.storage.db import ensure_schema, make_engine, ping
from bot.web.dashboard import dashboard_app

log = logging.getLogger("mentorbot.web")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, engine: Engine, dashboard: WSGIApp | None = None) -> WSGIApp:
    """Slack's endpoints and the health check, with ``dashboard`` mounted at ``/admin``."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = ping(engine)
            start_response(
                "200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "text/plain")]
            )
            return [b"ok\n" if healthy else b"database unreachable\n"]
        try:
            return slack(environ, start_response)
        except Exception:  # a signed but malformed payload can trip Bolt itself
            log.warning("could not handle a request to %s", environ.get("PATH_INFO"), exc_info=True)
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed request\n"]

    if dashboard is None:
        return application
    return DispatcherMiddleware(application, {"/admin": dashboard})


def with_dashboard(settings: Settings, engine: Engine, clock: Callable[[], datetime] = utcnow) -> WSGIApp:
    """The whole web app: Slack's endpoints and the dashboard, on ``clock``."""
    bolt = build_app(settings, engine, clock=clock)
    return wsgi_app(bolt, engine, dashboard_app(settings, engine, client_factory(settings, engine), clock))


def create_wsgi_app() -> WSGIApp:
    """Factory for gunicorn: settings from the environment, schema checked, app built.

    gunicorn may call it in the master (``--preload``) and fork the workers after. A pooled
    connection must never be shared across a fork: the schema check's connection is closed
    here, and a forked child starts with an empty pool of its own (SQLAlchemy's recipe).
    """
    settings = Settings.from_env()
    Settings.from_env(need=settings.required_for_serving())
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    engine.dispose()
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    return with_dashboard(settings, engine)
