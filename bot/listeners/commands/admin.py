"""``/mentor admin ...``: program admins only; every attempt is in the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import notify
from bot.domain import Proposal
from bot.i18n import _
from bot.listeners.commands.invocation import Invocation
from bot.listeners.common import NOT_ADMIN, slack_user
from bot.listeners.review_replies import review_reply
from bot.rendering import chart
from bot.rendering.admin import admin_usage, chart_not_shared, round_report
from bot.rendering.help import plain_reply
from bot.rendering.report import report_message
from bot.rendering.review_messages import proposal_message, published
from bot.rendering.settings_modal import settings_modal
from bot.services import admins, exports, program, reports, review, rounds
from bot.slack_files import dm_channel, upload
from bot.storage.db import transaction


def admin(call: Invocation) -> None:
    word, _space, rest = call.args.partition(" ")
    flags = rest.split()
    word = word.lower()
    if word in OTHER_ACTIONS:
        OTHER_ACTIONS[word](call, flags)
        return
    if (
        word not in ("run", "settings")
        or any(f != "--dry-run" for f in flags)
        or (word == "settings" and flags)
    ):
        call.ack(**plain_reply(admin_usage()))
        return
    if word == "settings":
        call.ack()
        if _allowed(call):
            with transaction(call.deps.engine) as session:
                settings = program.current_form(program.load(session, call.team_id, call.now))
            call.client.views_open(
                trigger_id=call.trigger_id,
                view=settings_modal(settings),
            )
        return
    dry_run = "--dry-run" in flags
    call.ack(**plain_reply(_("Working on it…")))
    if not _allowed(call):
        return
    engine = call.deps.engine
    with transaction(engine) as session:  # audited even if the round then fails
        admins.audit(
            session, call.team_id, call.user_id, "round.preview" if dry_run else "round.run", call.now
        )
    with notify.unit_of_work(engine, call.now) as (session, notices):
        outcome = rounds.run_round(session, notices, call.team_id, call.now, dry_run=dry_run)
    call.respond(**round_report(outcome, dry_run), response_type="ephemeral", replace_original=True)


def _allowed(call: Invocation) -> bool:
    """Admins pass; anyone else is told so, and the attempt is audited."""
    user = slack_user(call.client, call.user_id)
    with transaction(call.deps.engine) as session:
        is_admin = admins.allowed(session, call.team_id, call.user_id, user, f"admin {call.args}", call.now)
    if is_admin:
        return True
    call.respond(**plain_reply(_(NOT_ADMIN)), response_type="ephemeral", replace_original=True)
    return False


def report(call: Invocation, args: list[str]) -> None:
    """``/mentor admin report [weeks] [--comments]``: the figures here, the chart in the admin channel."""
    weeks = next((int(a) for a in args if a.isdigit()), 12)
    comments = "--comments" in args
    if not 1 <= weeks <= 104 or any(not a.isdigit() and a != "--comments" for a in args):
        call.ack(**plain_reply(_("Usage: `/mentor admin report [weeks, 1-104] [--comments]`")))
        return
    call.ack(**plain_reply(_("Preparing the report…")))
    if not _allowed(call):
        return
    engine = call.deps.engine
    with transaction(engine) as session:
        admins.audit(
            session, call.team_id, call.user_id, "report.view", call.now, weeks=weeks, comments=comments
        )
        figures = reports.build(session, call.team_id, call.now, weeks, include_comments=comments)
        channel = reports.admin_channel(session, call.team_id)
    call.respond(**report_message(figures), response_type="ephemeral", replace_original=True)
    try:
        upload(
            call.client,
            channel or dm_channel(call.client, call.user_id),
            chart.png(figures),
            "mentorbot-report.png",
            _("Mentoring program, last {weeks} weeks").format(weeks=weeks),
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        call.respond(**chart_not_shared(channel, error), response_type="ephemeral", replace_original=False)


def export(call: Invocation, args: list[str]) -> None:
    """``/mentor admin export [--comments]``: a CSV of every pairing and its outcome, by DM."""
    comments = "--comments" in args
    call.ack(**plain_reply(_("Preparing the export…")))
    if not _allowed(call):
        return
    engine = call.deps.engine
    with transaction(engine) as session:
        admins.audit(session, call.team_id, call.user_id, "export", call.now, comments=comments)
        data = exports.pairings_csv(session, call.team_id, include_comments=comments)
    upload(
        call.client,
        dm_channel(call.client, call.user_id),
        data.encode(),
        "mentorbot-pairings.csv",
        _("Pairings and outcomes"),
    )
    call.respond(
        **plain_reply(_("The CSV is in your direct messages.")),
        response_type="ephemeral",
        replace_original=True,
    )


def add_admin(call: Invocation, args: list[str]) -> None:
    """``/mentor admin add @user``: name another program admin."""
    users = [m.group(1) for a in args if (m := MENTION.fullmatch(a))]
    if len(users) != 1 or len(args) != 1:
        call.ack(**plain_reply(_("Usage: `/mentor admin add @someone`")))
        return
    call.ack(**plain_reply(_("Adding…")))
    if not _allowed(call):
        return
    if not admins.belongs_to(slack_user(call.client, users[0]), call.team_id):
        call.respond(
            **plain_reply(
                _("{member} isn't a member of this workspace, so they can't run its program.").format(
                    member=f"<@{users[0]}>"
                )
            ),
            response_type="ephemeral",
            replace_original=True,
        )
        return
    with transaction(call.deps.engine) as session:
        program.add_admin(session, call.team_id, call.user_id, users[0], call.now)
    call.respond(
        **plain_reply(_("{member} is now a program admin.").format(member=f"<@{users[0]}>")),
        response_type="ephemeral",
        replace_original=True,
    )


def swap(call: Invocation, args: list[str]) -> None:
    """``/mentor admin swap A B``: exchange the mentees of proposed pairs A and B."""
    if len(args) != 2 or not all(a.isdigit() for a in args):
        call.ack(**plain_reply(_("Usage: `/mentor admin swap 2 5` (pair numbers from the review)")))
        return
    call.ack(**plain_reply(_("Re-solving…")))
    if _allowed(call):
        _edit(
            call,
            lambda session: review.swap(
                session, call.team_id, int(args[0]), int(args[1]), call.user_id, call.now
            ),
        )


def remove(call: Invocation, args: list[str]) -> None:
    """``/mentor admin remove N``: rule out proposed pair N; the rest is re-solved."""
    if len(args) != 1 or not args[0].isdigit():
        call.ack(**plain_reply(_("Usage: `/mentor admin remove 3` (a pair number from the review)")))
        return
    call.ack(**plain_reply(_("Re-solving…")))
    if _allowed(call):
        _edit(
            call,
            lambda session: review.remove_number(session, call.team_id, int(args[0]), call.user_id, call.now),
        )


def publish(call: Invocation, args: list[str]) -> None:
    """``/mentor admin publish``: send the round held for review."""
    if args:
        call.ack(**plain_reply(_("Usage: `/mentor admin publish`")))
        return
    call.ack(**plain_reply(_("Publishing…")))
    if not _allowed(call):
        return
    engine = call.deps.engine

    def publish_pending() -> dict[str, Any]:
        with notify.unit_of_work(engine, call.now) as (session, notices):
            round_id = review.pending_round(session, call.team_id)
            pairs = review.publish(session, notices, call.team_id, round_id, call.user_id, call.now)
        return plain_reply(published(pairs))

    call.respond(**review_reply(publish_pending), response_type="ephemeral", replace_original=True)


def _edit(call: Invocation, change: Callable[[Session], Proposal]) -> None:
    """Apply a review edit (one transaction) and show the new proposal."""

    def edited() -> dict[str, Any]:
        with transaction(call.deps.engine) as session:
            proposal = change(session)
        return proposal_message(proposal)

    reply = review_reply(edited)
    call.respond(**reply, response_type="ephemeral", replace_original=True)


#: A user mention as Slack escapes it in command text: <@U123> or <@U123|name>.
MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
OTHER_ACTIONS = {
    "report": report,
    "export": export,
    "add": add_admin,
    "swap": swap,
    "remove": remove,
    "publish": publish,
}
