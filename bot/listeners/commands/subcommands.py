"""One small function per ``/mentor`` subcommand.

Each acknowledges first when its work involves Slack API calls (the 3-second
deadline), and answers directly in the acknowledgement when it only reads the
database, which is well inside the deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from bot.i18n import N_, _, ngettext
from bot.listeners.commands.invocation import Invocation
from bot.listeners.common import open_profile_modal, publish_home
from bot.rendering.help import help_message, plain_reply
from bot.rendering.member import find_message, forget_confirm, my_data_messages, status_message
from bot.services import participation, privacy, profiles
from bot.storage.db import transaction

NO_PROFILE = N_("You don't have a profile yet: create one with `/mentor profile`.")


def show_help(call: Invocation) -> None:
    call.ack(**help_message())


def edit_profile(call: Invocation) -> None:
    call.ack()
    open_profile_modal(call.client, call.deps, call.team_id, call.user_id, call.trigger_id, call.now)


def status(call: Invocation) -> None:
    with Session(call.deps.engine) as session:
        profile = profiles.load(session, call.team_id, call.user_id)
    call.ack(**status_message(profile))


def pause(call: Invocation) -> None:
    weeks: int | None = None
    if call.args:
        if not call.args.isdigit() or not 1 <= int(call.args) <= participation.MAX_PAUSE_WEEKS:
            call.ack(
                **plain_reply(
                    _(
                        "Pause for how many weeks? Use a number from 1 to {most}, "
                        "e.g. `/mentor pause 2`, or just `/mentor pause`."
                    ).format(most=participation.MAX_PAUSE_WEEKS)
                )
            )
            return
        weeks = int(call.args)
    try:
        with transaction(call.deps.engine) as session:
            participation.pause(session, call.team_id, call.user_id, weeks, call.now)
    except profiles.NoProfile:
        call.ack(**plain_reply(_("There's nothing to pause yet: create a profile with `/mentor profile`.")))
        return
    paused = (
        ngettext(
            "Paused for {count} week. You won't be paired meanwhile; current pairings carry on.",
            "Paused for {count} weeks. You won't be paired meanwhile; current pairings carry on.",
            weeks,
        ).format(count=weeks)
        if weeks
        else _("Paused until you `/mentor resume`. You won't be paired meanwhile; current pairings carry on.")
    )
    call.ack(**plain_reply(paused))
    publish_home(call.client, call.deps, call.team_id, call.user_id, call.now)


def resume(call: Invocation) -> None:
    try:
        with transaction(call.deps.engine) as session:
            participation.resume(session, call.team_id, call.user_id, call.now)
    except profiles.NoProfile:
        call.ack(**plain_reply(_(NO_PROFILE)))
        return
    call.ack(**plain_reply(_("Welcome back! You'll be included in the next round.")))
    publish_home(call.client, call.deps, call.team_id, call.user_id, call.now)


def find(call: Invocation) -> None:
    if not call.args:
        call.ack(**plain_reply(_("Which skill? For example `/mentor find model deployment`.")))
        return
    with transaction(call.deps.engine) as session:
        found = profiles.find(session, call.team_id, call.args, call.user_id, call.now)
    call.ack(**find_message(call.args, found))


def forget_me(call: Invocation) -> None:
    call.ack(**forget_confirm())


def my_data(call: Invocation) -> None:
    call.ack(**plain_reply(_("I'm sending you a direct message with everything I store about you.")))
    with Session(call.deps.engine) as session:
        data = privacy.export(session, call.team_id, call.user_id)
    for part in my_data_messages(data):
        call.client.chat_postMessage(channel=call.user_id, **part)


def heads_up(call: Invocation) -> None:
    word = call.args.lower()
    if word not in ("on", "off"):
        call.ack(**plain_reply(_("Usage: `/mentor heads-up on` or `/mentor heads-up off`")))
        return
    try:
        with transaction(call.deps.engine) as session:
            participation.set_heads_up(session, call.team_id, call.user_id, word == "on", call.now)
    except profiles.NoProfile:
        call.ack(**plain_reply(_(NO_PROFILE)))
        return
    call.ack(
        **plain_reply(
            _("I'll message you before each round, with a button to skip it.")
            if word == "on"
            else _("No more heads-ups before rounds. `/mentor heads-up on` brings them back.")
        )
    )


#: What members type after ``/mentor``; ``mentor.py`` routes them (and ``admin ...``).
MEMBER_SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "help": show_help,
    "profile": edit_profile,
    "status": status,
    "pause": pause,
    "resume": resume,
    "find": find,
    "forget-me": forget_me,
    "my-data": my_data,
    "heads-up": heads_up,
}
