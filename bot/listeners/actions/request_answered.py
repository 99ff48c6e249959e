"""A mentor's Accept / Decline on a mentee's request."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.listeners.common import answer_later, deps_of, error_text, replace_original
from bot.services import requests
from bot.storage.db import row_id
from bot.storage.models import utcnow
from bot.views.help import plain_reply
from bot.views.shortlist_messages import REQUEST_ACCEPT, answered


def request_answered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user = body["user"]["id"]
    try:
        outcome = requests.answer(
            deps_of(context).engine,
            body["team"]["id"],
            row_id(action.get("value")),
            user,
            action["action_id"] == REQUEST_ACCEPT,
            utcnow(),
        )
    except requests.RequestRefused as refused:
        answer_later(respond, client, user, plain_reply(str(refused)))
        return
    except Exception as exc:
        answer_later(respond, client, user, plain_reply(error_text(exc)))
        return
    replace_original(
        respond, client, user, plain_reply(answered(outcome.status, outcome.mentee_id, outcome.already))
    )
