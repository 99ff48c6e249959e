"""A button on the heads-up before a round: count me in, skip, pause, or stop the heads-ups."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.i18n import _
from bot.listeners.common import answer_later, answers_failures, deps_of, now_of
from bot.rendering.blocks import slack_day
from bot.rendering.help import plain_reply
from bot.rendering.round_messages import HEADS_UP_PREFIX
from bot.services import participation
from bot.services.participation import Answer, Answered
from bot.services.profiles import NoProfile
from bot.storage.db import transaction

#: Rounds are named by ISO week, e.g. "2026-W49" (``rounds.period_of``).
PERIOD = re.compile(r"\d{4}-W\d{2}")


@answers_failures
def heads_up_answered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    user_id = body["user"]["id"]
    try:
        choice = Answer(str(action["action_id"]).removeprefix(HEADS_UP_PREFIX))
        period = str(action.get("value", ""))
        if not PERIOD.fullmatch(period):
            raise ValueError(period)
        with transaction(deps_of(context).engine) as session:
            done = participation.answer(session, body["team"]["id"], user_id, period, choice, now_of(context))
    except NoProfile:
        answer_later(respond, client, user_id, plain_reply(_("You don't have a mentoring profile any more.")))
        return
    except ValueError:
        answer_later(respond, client, user_id, plain_reply(_("That heads-up button isn't one I sent.")))
        return
    answer_later(respond, client, user_id, plain_reply(confirmation(done)))


def confirmation(done: Answered) -> str:
    late = (
        _("That round has already been paired, so this applies to the next one.") + " " if done.late else ""
    )
    if done.answer is Answer.IN:
        return late + _("You're in for the round of {period}.").format(period=done.period)
    if done.answer is Answer.SKIP:
        return late + _("You'll sit out the round of {period}; you're back after that.").format(
            period=done.period
        )
    if done.answer is Answer.STOP:
        return _("No more heads-ups. Turn them back on with `/mentor heads-up on`.")
    assert done.paused_until is not None
    return late + _(
        "Paused until {day}: no new pairings until then; "
        "current ones carry on. `/mentor resume` to come back sooner."
    ).format(day=slack_day(done.paused_until))
