"""A slot's "works for me" button in an introduction: the first one picked is the first meeting."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import notify
from bot.i18n import _
from bot.listeners.common import answer_later, answers_failures, deps_of, now_of
from bot.rendering.blocks import slack_date
from bot.rendering.help import plain_reply
from bot.rendering.meeting import NOT_YOURS
from bot.rendering.terms import reason_text
from bot.services import feedback, meetings
from bot.storage.db import row_id


@answers_failures
def meeting_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user, now = body["user"]["id"], now_of(context)
    subject_text, _colon, at = str(action.get("value") or "").partition(":")
    try:
        subject = feedback.Subject.parse(subject_text)
        with notify.unit_of_work(deps_of(context).engine, now) as (session, notices):
            picked = meetings.pick(session, notices, body["team"]["id"], subject, user, row_id(at), now)
    except feedback.NotYourPairing:
        answer_later(respond, client, user, plain_reply(_(NOT_YOURS)))
        return
    except meetings.SlotRefused as refused:
        answer_later(respond, client, user, plain_reply(reason_text(refused.reason)))
        return
    when = slack_date(picked.at)
    reply = (
        _("The first meeting is already set: {when}.")
        if picked.already
        else _("Done: {when}. I've told the others.")
    ).format(when=when)
    answer_later(respond, client, user, plain_reply(reply))
