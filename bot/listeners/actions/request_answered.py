"""A mentor's Accept / Decline on a mentee's request."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import notify
from bot.listeners.common import answer_in_place, answers_failures, deps_of, now_of
from bot.rendering.help import plain_reply
from bot.rendering.shortlist_messages import REQUEST_ACCEPT, answered
from bot.services import mentor_requests
from bot.storage.db import row_id


@answers_failures
def request_answered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user = body["user"]["id"]

    def answer() -> dict[str, Any]:
        now = now_of(context)
        with notify.unit_of_work(deps_of(context).engine, now) as (session, notices):
            outcome = mentor_requests.answer(
                session,
                notices,
                body["team"]["id"],
                row_id(action.get("value")),
                user,
                action["action_id"] == REQUEST_ACCEPT,
                now,
            )
        return plain_reply(answered(outcome.status, outcome.mentee_id, outcome.already))

    answer_in_place(respond, client, user, answer, mentor_requests.RequestRefused)
