"""The end-of-term "Give feedback" button opens the feedback modal (for the pair's own members only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.listeners.common import answer_later, deps_of, error_text
from bot.services import feedback
from bot.views.feedback_modal import feedback_modal
from bot.views.help import plain_reply

NOT_YOURS = "That pairing isn't one of yours (or it no longer exists)."


def feedback_open(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    value, user_id = str(action.get("value", "")), body["user"]["id"]
    try:
        if not (
            value.isdigit()
            and feedback.is_participant(deps_of(context).engine, body["team"]["id"], int(value), user_id)
        ):
            answer_later(respond, client, user_id, plain_reply(NOT_YOURS))
            return
        client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(int(value)))
    except Exception as exc:
        answer_later(respond, client, user_id, plain_reply(error_text(exc)))
