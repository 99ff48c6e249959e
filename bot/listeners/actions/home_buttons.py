"""Home tab buttons; each acknowledges at once, then does its work (a failure is answered by DM)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.listeners.common import answers_failures, deps_of, now_of, open_profile_modal, publish_home
from bot.rendering.member import PAUSE_WEEKS
from bot.services import participation
from bot.storage.db import transaction


@answers_failures
def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    open_profile_modal(
        client,
        deps_of(context),
        body["team"]["id"],
        body["user"]["id"],
        body["trigger_id"],
        now_of(context),
        from_home=True,
    )


@answers_failures
def pause_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    deps, now = deps_of(context), now_of(context)
    with transaction(deps.engine) as session:
        participation.pause(session, team_id, user_id, PAUSE_WEEKS, now)
    publish_home(client, deps, team_id, user_id, now)


@answers_failures
def resume_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    deps, now = deps_of(context), now_of(context)
    with transaction(deps.engine) as session:
        participation.resume(session, team_id, user_id, now)
    publish_home(client, deps, team_id, user_id, now)
