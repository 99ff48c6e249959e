"""Build the one Bolt app, whichever way it is served (HTTP or Socket Mode)."""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot import i18n, listeners
from bot.clock import utcnow
from bot.config import Settings
from bot.i18n import _
from bot.install.manifest import SCOPES
from bot.listeners.common import OUTSIDER, Deps
from bot.services import profiles
from bot.slack_clients import installation_store, web_client

log = logging.getLogger("mentorbot")
#: Listener threads per process; the database pool is sized to match (``storage.db``).
LISTENER_THREADS = 24


class RequestContextExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, running each listener in the context (``contextvars``) of the
    request that submitted it: the language its middleware chose goes with it."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


def _language(deps: Deps, context: Any) -> str:
    """The acting member's language: from their profile, else (someone without one yet) from
    Slack's locale for them; English when neither can be read (the listener then meets, and
    answers, whatever failed)."""
    team, user = context.team_id, context.user_id
    if not (team and user):
        return i18n.ENGLISH
    try:
        with Session(deps.engine) as session:
            known = profiles.languages(session, team, [user]).get(user)
        if known:
            return known
        found = context.client.users_info(user=user, include_locale=True)["user"]
    except (SQLAlchemyError, SlackApiError):
        return i18n.ENGLISH
    return i18n.language_of(found.get("locale"))


def build_app(
    settings: Settings,
    engine: Engine,
    *,
    clock: Callable[[], datetime] = utcnow,
    verify_token: bool = True,
) -> App:
    """The Bolt app with every listener registered and the database injected.

    Request signatures are always verified (Bolt rejects unsigned or stale
    requests with 401 before any listener runs). With ``SLACK_CLIENT_ID`` and
    ``SLACK_CLIENT_SECRET`` set, the app is distributable: Bolt's OAuth flow at
    ``/slack/install`` and ``/slack/oauth_redirect`` stores each workspace's
    installation in the same database, and requests use that workspace's token.

    ``clock`` is read once per request, before any listener runs (``context["now"]``).
    """
    # Bolt runs listeners on this pool and answers Slack when they ack. Its default of
    # 5 threads lets work done after an ack (Slack calls, commits) hold up the next
    # request's ack; listeners mostly wait on I/O, so a larger pool is cheap.
    executor = RequestContextExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")
    if settings.multi_workspace:
        app = App(
            client=web_client(settings),
            listener_executor=executor,
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=True,
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=SCOPES,
                installation_store=installation_store(settings, engine),
                state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
            ),
        )
    else:
        app = App(
            client=web_client(settings),
            listener_executor=executor,
            signing_secret=settings.slack_signing_secret,
            token_verification_enabled=verify_token,
            request_verification_enabled=True,
        )
    deps = Deps(engine=engine)

    @app.middleware
    def inject_deps(context: Any, next: Any) -> BoltResponse | None:
        context["deps"] = deps
        context["now"] = clock()  # the request's one reading of the clock
        return next()

    @app.middleware
    def speak_their_language(context: Any, next: Any) -> BoltResponse | None:
        """Answers are written in the language of the member who acted (``bot.i18n``)."""
        i18n.speak(_language(deps, context))
        return next()

    @app.middleware
    def refuse_other_workspaces(body: dict[str, Any], context: Any, next: Any) -> BoltResponse | None:
        """People from another organisation (Slack Connect) can't join this workspace's program."""
        home, theirs = (body.get("team") or {}).get("id"), (body.get("user") or {}).get("team_id")
        if not (home and theirs and home != theirs):
            return next()
        if body.get("type") == "view_submission":
            return BoltResponse(
                status=200,
                body=json.dumps({"response_action": "errors", "errors": {"role": _(OUTSIDER)}}),
                headers={"Content-Type": "application/json"},
            )
        if context.respond is not None:
            context.respond(text=_(OUTSIDER), response_type="ephemeral", replace_original=False)
        return BoltResponse(status=200, body="")

    @app.error
    def unhandled(error: Exception, body: dict[str, Any]) -> BoltResponse:
        """Listeners answer their own errors; what reaches here is a payload Bolt itself choked on."""
        log.error("unhandled %s for a %s request", type(error).__name__, body.get("type", "command"))
        return BoltResponse(status=400, body="malformed request")

    listeners.register(app)
    return app
