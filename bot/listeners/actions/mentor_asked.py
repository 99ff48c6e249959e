"""A mentee's "Ask <mentor>" button on their shortlist."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.listeners.common import answer_later, deps_of, error_text, replace_original
from bot.services import requests
from bot.storage.db import row_id
from bot.storage.models import utcnow
from bot.views.help import plain_reply
from bot.views.shortlist_messages import shortlist


def mentor_asked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user = body["user"]["id"]
    try:
        asked = requests.ask(
            deps_of(context).engine, body["team"]["id"], row_id(action.get("value")), user, utcnow()
        )
    except requests.RequestRefused as refused:
        answer_later(respond, client, user, plain_reply(str(refused)))
        return
    except Exception as exc:
        answer_later(respond, client, user, plain_reply(error_text(exc)))
        return
    replace_original(
        respond,
        client,
        user,
        shortlist(asked.offers, asked.request_days, asked=(asked.mentor_id, asked.answer_by)),
    )
