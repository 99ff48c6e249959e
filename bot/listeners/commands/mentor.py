"""``/mentor [subcommand] [args]``: read the text, hand it to the subcommand, answer ephemerally."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.i18n import _
from bot.listeners.commands.admin import admin
from bot.listeners.commands.invocation import Invocation
from bot.listeners.commands.subcommands import MEMBER_SUBCOMMANDS
from bot.listeners.common import answers_failures, deps_of, now_of
from bot.rendering.help import plain_reply, unknown_command

#: Every ``/mentor`` subcommand; this router is the one module that knows them all.
SUBCOMMANDS = {**MEMBER_SUBCOMMANDS, "admin": admin}
#: No subcommand needs more; longer text is a paste gone wrong, not a command.
MAX_TEXT = 300


@answers_failures
def mentor(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    text = str(command.get("text") or "").strip()
    if len(text) > MAX_TEXT:
        ack(
            **plain_reply(
                _(
                    "That's longer than any `/mentor` command ({most} characters at most). "
                    "Try `/mentor help`."
                ).format(most=MAX_TEXT)
            )
        )
        return
    word, _space, rest = text.partition(" ")
    handler = SUBCOMMANDS.get(word.lower() or "help")
    if handler is None:
        ack(**unknown_command(word))
        return
    call = Invocation(
        ack,
        respond,
        client,
        deps_of(context),
        command["team_id"],
        command["user_id"],
        rest.strip(),
        command.get("trigger_id", ""),
        now_of(context),
    )
    handler(call)
