"""The member confirmed ``/mentor forget-me``: erase their data and say so."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.i18n import _
from bot.listeners.common import answers_failures, deps_of
from bot.rendering.help import plain_reply
from bot.services import privacy
from bot.storage.db import transaction


@answers_failures
def forget_me_confirmed(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    with transaction(deps_of(context).engine) as session:
        had_data = privacy.forget(session, body["team"]["id"], body["user"]["id"])
    done = (
        _("Done: everything mentorbot stored about you is deleted.")
        if had_data
        else _("mentorbot had nothing stored about you.")
    )
    respond(**plain_reply(done), replace_original=True)
