"""End-of-term feedback submitted."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.i18n import _
from bot.listeners.common import answers_failures, deps_of, now_of
from bot.rendering.feedback_modal import parse_feedback
from bot.services import feedback
from bot.storage.db import transaction


@answers_failures
def feedback_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    try:
        rating, comment = parse_feedback(view.get("state", {}).get("values", {}))
    except ValueError:
        ack(response_action="errors", errors={"rating": _("Pick a rating from 1 to 5.")})
        return
    try:
        with transaction(deps_of(context).engine) as session:
            feedback.record_feedback(
                session,
                body["team"]["id"],
                feedback.Subject.parse(view.get("private_metadata")),
                body["user"]["id"],
                rating,
                comment,
                now_of(context),
            )
    except feedback.NotYourPairing:
        ack(response_action="errors", errors={"rating": _("This pairing or circle isn't one of yours.")})
        return
    ack()
