"""The ``/mentor help`` answer, and the answers to commands the bot doesn't know."""

from __future__ import annotations

from typing import Any

from bot.i18n import _
from bot.rendering.blocks import context, escape, message, section


def usage() -> str:
    return _(
        "*mentorbot* pairs mentors and mentees every week. Here's what you can do:\n"
        "• `/mentor profile` — say what you're strong at and what you want to learn\n"
        "• `/mentor status` — your mentor, your mentees and your profile\n"
        "• `/mentor pause [weeks]` · `/mentor resume` — take a break, come back\n"
        "• `/mentor find &lt;skill&gt;` — people who can help with a skill\n"
        "• `/mentor heads-up on|off` — a message before each round, with a button to skip it\n"
        "• `/mentor my-data` · `/mentor forget-me` — see or delete what the bot keeps about you"
    )


def help_message() -> dict[str, Any]:
    home = _("Open the mentorbot app's Home tab for the same, with buttons.")
    return message([section(usage()), context(home)], usage())


def unknown_command(word: str) -> dict[str, Any]:
    shown = escape(word if len(word) <= 30 else word[:30] + "…")
    return message(
        [section(_("I don't know `{word}`.").format(word=shown) + " " + usage())],
        _("I don't know `{word}`. Try `/mentor help`.").format(word=shown),
    )


def plain_reply(value: str) -> dict[str, Any]:
    """A one-section answer; ``value`` is mrkdwn the bot wrote (escape any member text in it)."""
    return message([section(value)], value)
