"""The "I'm back" button on the note to a member paused for not answering check-ins."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.i18n import N_, _
from bot.listeners.common import answer_later, answers_failures, deps_of, now_of
from bot.rendering.help import plain_reply
from bot.services import participation, profiles
from bot.storage.db import transaction

WELCOME = N_("Welcome back! You'll be included in the next round.")


@answers_failures
def no_show_back(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: Any) -> None:
    ack()
    user_id = body["user"]["id"]
    try:
        with transaction(deps_of(context).engine) as session:
            participation.resume(session, body["team"]["id"], user_id, now_of(context))
        reply = plain_reply(_(WELCOME))
    except profiles.NoProfile:
        reply = plain_reply(_("You don't have a mentoring profile any more: `/mentor profile` creates one."))
    answer_later(respond, client, user_id, reply)
