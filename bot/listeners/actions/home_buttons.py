"""Home tab buttons; each acknowledges at once, then does its work."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.listeners.common import deps_of, error_text, now_of, open_profile_modal, publish_home
from bot.services import profiles
from bot.views.help import plain_reply
from bot.views.member import PAUSE_WEEKS


def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    _guarded(
        client,
        body["user"]["id"],
        lambda: open_profile_modal(
            client,
            deps_of(context),
            body["team"]["id"],
            body["user"]["id"],
            body["trigger_id"],
            now_of(context),
            from_home=True,
        ),
    )


def pause_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    deps, now = deps_of(context), now_of(context)

    def work() -> None:
        profiles.pause(deps.engine, team_id, user_id, PAUSE_WEEKS, now)
        publish_home(client, deps, team_id, user_id, now)

    _guarded(client, user_id, work)


def resume_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    deps, now = deps_of(context), now_of(context)

    def work() -> None:
        profiles.resume(deps.engine, team_id, user_id, now)
        publish_home(client, deps, team_id, user_id, now)

    _guarded(client, user_id, work)


def _guarded(client: WebClient, user_id: str, work: Any) -> None:
    """Run ``work``; if it fails, tell the member in a DM (a button has nowhere else to answer)."""
    try:
        work()
    except Exception as exc:
        client.chat_postMessage(channel=user_id, **plain_reply(error_text(exc)))
