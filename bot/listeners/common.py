"""Pieces several listeners share: their dependencies, refreshing Home, opening the modal, errors."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlmodel import Session

from bot.catalog import default_catalog
from bot.domain import Refusal
from bot.i18n import N_, _
from bot.rendering.blocks import section
from bot.rendering.help import plain_reply
from bot.rendering.member import home_view
from bot.rendering.profile_modal import profile_modal
from bot.rendering.terms import reason_text
from bot.services import admins, profiles, reports
from bot.services.workspaces import catalog
from bot.storage.db import transaction

log = logging.getLogger("mentorbot")

# Answers several listeners give, translated where they are used (``_(NOT_ADMIN)``).
DB_DOWN = N_("I can't reach my database right now. Nothing was changed; please try again in a minute.")
SLACK_DOWN = N_("Slack didn't accept my reply just now. Please try again in a moment.")
OOPS = N_("Something went wrong on my side. Nothing was changed; please try again.")
NOT_ADMIN = N_(
    "Only program admins can do that: the workspace's Slack admins, and members they add with "
    "`/mentor admin add @someone`."
)
OUTSIDER = N_(
    "mentorbot's program is for members of this workspace; people joining from another "
    "organisation can't take part here. Ask your own workspace's admins about mentorbot."
)


@dataclass(frozen=True, slots=True)
class Deps:
    """What listeners need besides the Slack payload (injected as ``context["deps"]``)."""

    engine: Engine


def deps_of(context: Any) -> Deps:
    return context["deps"]


def now_of(context: Any) -> datetime:
    """The moment this request is handled (read once, by ``bot.app``'s middleware)."""
    return context["now"]


def error_text(exc: BaseException) -> str:
    """What to tell a member when ``exc`` stopped their request (it is also logged)."""
    if isinstance(exc, OperationalError | InterfaceError | SATimeoutError):
        log.warning("database unavailable: %s", type(exc).__name__)
        return _(DB_DOWN)
    if isinstance(exc, SlackApiError):
        log.warning("Slack API error: %s", exc.response.get("error"))
        return _(SLACK_DOWN)
    log.exception("unexpected error in a listener")
    return _(OOPS)


def answers_failures(listener: Callable[..., None]) -> Callable[..., None]:
    """The one place a listener's unexpected failure is answered to the member (and logged).

    A modal submission shows it on the form's first field, App Home shows it as the
    tab, and a command or a button answers privately (as the command's own reply when
    it has not been acknowledged yet). What a listener expects (a refusal, invalid
    input) it still answers itself, in its own words. The listener must take ``body``
    and ``client``; Bolt passes it what it names (it looks through this wrapper).
    """
    missing = {"body", "client"} - inspect.signature(listener).parameters.keys()
    if missing:
        raise TypeError(f"{listener.__name__} must take {sorted(missing)} for its failures to be answered")

    @functools.wraps(listener)
    def answered(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except Exception as exc:
            _answer_failure(kwargs, error_text(exc))

    return answered


def _answer_failure(kwargs: dict[str, Any], text: str) -> None:
    body, client = kwargs["body"], kwargs["client"]
    ack, respond = kwargs.get("ack"), kwargs.get("respond")
    if body.get("type") == "view_submission" and ack is not None:
        blocks = (body.get("view") or {}).get("blocks") or []
        field = next((b.get("block_id") for b in blocks if b.get("type") == "input"), None)
        if field:  # on the form, which stays open
            ack(response_action="errors", errors={field: text})
            return
    if body.get("type") == "event_callback":
        try:
            client.views_publish(
                user_id=body["event"]["user"], view={"type": "home", "blocks": [section(text)]}
            )
        except Exception:
            log.warning("could not show a failure on %s's Home tab", body["event"]["user"], exc_info=True)
        return
    reply = plain_reply(text)
    if ack is not None and ack.response is None:
        if "command" in body:  # a slash command's reply is its acknowledgement
            ack(**reply)
            return
        ack()
    answer_later(respond, client, body.get("user_id") or body["user"]["id"], reply)


def answer_later(respond: Any, client: WebClient, user_id: str, reply: dict[str, Any]) -> None:
    """Tell a member something after the ack: in place if Slack gave a response URL, else by DM.

    Never raises: this is what runs when something already went wrong.
    """
    try:
        if getattr(respond, "response_url", None):
            respond(**reply, response_type="ephemeral", replace_original=False)
        else:
            client.chat_postMessage(channel=user_id, **reply)
    except Exception:
        log.warning("could not tell %s about a failed request", user_id, exc_info=True)


def replace_original(respond: Any, client: WebClient, user_id: str, reply: dict[str, Any]) -> None:
    """Put ``reply`` in place of the message whose button was pressed (a DM if there's no such message)."""
    if getattr(respond, "response_url", None):
        respond(**reply, replace_original=True)
    else:
        answer_later(respond, client, user_id, reply)


def answer_in_place(
    respond: Any,
    client: WebClient,
    user_id: str,
    work: Callable[[], dict[str, Any]],
    refusal: type[Refusal],
) -> None:
    """A button's work, its message replaced by the result; a ``refusal`` (whose text is meant for
    the member) is answered to them alone, and the message stays as it was (as it does when the
    work fails: see :func:`answers_failures`)."""
    try:
        reply = work()
    except refusal as refused:
        answer_later(respond, client, user_id, plain_reply(reason_text(refused.reason)))
        return
    replace_original(respond, client, user_id, reply)


def slack_user(client: WebClient, user_id: str) -> dict[str, Any]:
    """Slack's profile of a user; empty when Slack doesn't know them (so: no rights)."""
    try:
        return client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("user_not_found", "users_not_found"):
            return {}
        raise


def publish_home(client: WebClient, deps: Deps, team_id: str, user_id: str, now: datetime) -> None:
    """The member's Home tab; admins also get the program's figures."""
    user = slack_user(client, user_id)
    with Session(deps.engine) as session:
        is_admin = admins.is_admin(session, team_id, user_id, user)
        profile = profiles.load(session, team_id, user_id)
        program = reports.build(session, team_id, now) if is_admin else None
    client.views_publish(user_id=user_id, view=home_view(profile, program))


def open_profile_modal(
    client: WebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    trigger_id: str,
    now: datetime,
    from_home: bool = False,
) -> None:
    with transaction(deps.engine) as session:
        skills = catalog(session, team_id, now)
        current = profiles.current_form(session, team_id, user_id)
    view = profile_modal(skills, default_catalog().roles, current, from_home)
    client.views_open(trigger_id=trigger_id, view=view)
