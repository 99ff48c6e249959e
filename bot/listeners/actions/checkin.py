"""The check-in buttons of a pairing or a circle: we met / not yet / this isn't working (leave)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.i18n import N_, _
from bot.listeners.common import answers_failures, deps_of, now_of
from bot.rendering.help import plain_reply
from bot.services import feedback
from bot.storage.db import transaction

THANKS = {
    "met": N_("Great, thanks! Keep going: a regular slot makes it easy."),
    "not_yet": N_("No problem. A short first call is enough to get going."),
    "not_working": N_("Thanks for saying so. I've ended this pairing; you're both free for the next round."),
}
LEFT_CIRCLE = N_(
    "Thanks for saying so. I've taken you out of this circle; you'll be placed again next round."
)


@answers_failures
def checkin_answered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    answer = action["action_id"].removeprefix("checkin_")
    try:
        subject = feedback.Subject.parse(action.get("value"))
        with transaction(deps_of(context).engine) as session:
            feedback.record_checkin(
                session, body["team"]["id"], subject, body["user"]["id"], answer, now_of(context)
            )
    except (feedback.NotYourPairing, ValueError):
        respond(
            **plain_reply(_("That check-in isn't one of yours (or the pairing no longer exists).")),
            replace_original=False,
            response_type="ephemeral",
        )
        return
    thanks = LEFT_CIRCLE if subject.circle and answer == "not_working" else THANKS[answer]
    respond(**plain_reply(f"<@{body['user']['id']}>: {_(thanks)}"), replace_original=answer != "not_yet")
