"""A mentee's "Ask <mentor>" button on their shortlist."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import notify
from bot.listeners.common import answer_in_place, answers_failures, deps_of, now_of
from bot.rendering.shortlist_messages import shortlist
from bot.services import mentor_requests
from bot.storage.db import row_id


@answers_failures
def mentor_asked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user = body["user"]["id"]

    def ask() -> dict[str, Any]:
        now = now_of(context)
        with notify.unit_of_work(deps_of(context).engine, now) as (session, notices):
            asked = mentor_requests.ask(
                session, notices, body["team"]["id"], row_id(action.get("value")), user, now
            )
        return shortlist(asked.offers, asked.request_days, asked=(asked.mentor_id, asked.answer_by))

    answer_in_place(respond, client, user, ask, mentor_requests.RequestRefused)
