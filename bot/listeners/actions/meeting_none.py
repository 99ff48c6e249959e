"""An introduction's "None of these work": more first-meeting slots, for everyone to see."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import notify
from bot.i18n import _
from bot.listeners.common import answer_later, answers_failures, deps_of, now_of
from bot.rendering.help import plain_reply
from bot.rendering.meeting import NOT_YOURS
from bot.services import feedback, meetings


@answers_failures
def meeting_none(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user, now = body["user"]["id"], now_of(context)
    try:
        subject = feedback.Subject.parse(action.get("value"))
        with notify.unit_of_work(deps_of(context).engine, now) as (session, notices):
            offered = meetings.more(session, notices, body["team"]["id"], subject, user, now)
    except feedback.NotYourPairing:
        answer_later(respond, client, user, plain_reply(_(NOT_YOURS)))
        return
    reply = (
        _("I've posted more times in your conversation.")
        if offered.slots
        else _("I couldn't find more times.")
    )
    answer_later(respond, client, user, plain_reply(reply))
