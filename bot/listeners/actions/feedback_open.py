"""The end-of-term "Give feedback" button opens the feedback modal (for the pair's or circle's own
members only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.i18n import N_, _
from bot.listeners.common import answer_later, answers_failures, deps_of
from bot.rendering.feedback_modal import feedback_modal
from bot.rendering.help import plain_reply
from bot.services import feedback

NOT_YOURS = N_("That pairing or circle isn't one of yours (or it no longer exists).")


@answers_failures
def feedback_open(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    value, user_id = str(action.get("value", "")), body["user"]["id"]
    try:
        subject = feedback.Subject.parse(value)
        with Session(deps_of(context).engine) as session:
            is_participant = feedback.is_participant(session, body["team"]["id"], subject, user_id)
        if not is_participant:
            raise feedback.NotYourPairing(value)
        client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(str(subject), subject.circle))
    except feedback.NotYourPairing:
        answer_later(respond, client, user_id, plain_reply(_(NOT_YOURS)))
