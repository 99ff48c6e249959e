"""Inviting colleagues to the program from a pasted list (the dashboard's Import page).

The list is read into Slack member ids and email addresses; the caller resolves them
against Slack (``users.info``, ``users.lookupByEmail``) and this module says, for each, what
an invitation would do, then queues one DM each to those who have no profile and were
never invited (an invitation goes to a person once). Nothing is sent before the preview.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import Invitation, InviteLine, InviteStatus, Notice, Refusal
from bot.services import admins
from bot.storage.models import Member, Outbox
from matching.reasons import reason

#: At most this many people in one import: resolving each is one Slack call (Tier 3 for emails).
MOST = 50
MEMBER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


class TooMany(Refusal):
    """A list longer than ``MOST``."""


def read_list(text: str) -> list[str]:
    """The entries of a pasted list (commas, semicolons, spaces or lines between them), in
    order, each once; a mention such as ``<@U012AB3CD|ana>`` counts as its id."""
    entries = re.findall(r"<@([A-Z0-9]+)(?:\|[^>]*)?>|([^\s,;<>]+)", text)
    seen = list(dict.fromkeys(a or b for a, b in entries))
    if len(seen) > MOST:
        raise TooMany(reason("{count} entries: paste at most {most} at a time.", count=len(seen), most=MOST))
    return seen


def kind(entry: str) -> str:
    """ "id", "email" or "" (neither)."""
    if MEMBER_ID.fullmatch(entry):
        return "id"
    return "email" if EMAIL.fullmatch(entry) else ""


def preview(
    session: Session, team_id: str, found: Iterable[tuple[str, str | None, str, str]]
) -> list[InviteLine]:
    """What inviting each (entry, Slack user id or None, name, language) would do."""
    found = list(found)
    ids = [u for _, u, _, _ in found if u]
    members = set(
        session.exec(select(Member.user_id).where(Member.team_id == team_id, col(Member.user_id).in_(ids)))
    )
    invited = {
        key.removeprefix("invite:")
        for key in session.exec(
            select(Outbox.dedupe_key).where(
                Outbox.team_id == team_id, col(Outbox.dedupe_key).in_([f"invite:{u}" for u in ids])
            )
        )
    }
    lines = []
    for given, user, name, language in found:
        if not kind(given):
            status = InviteStatus.unreadable
        elif user is None:
            status = InviteStatus.unknown
        elif user in members:
            status = InviteStatus.member
        elif user in invited:
            status = InviteStatus.invited
        else:
            status = InviteStatus.invite
        lines.append(InviteLine(given, user, name, status, language))
    return lines


def invite(
    session: Session, notices: list[Notice], team_id: str, lines: list[InviteLine], actor: str, now: datetime
) -> int:
    """One invitation each to the lines marked to be invited (checked again now); how many."""
    again = preview(
        session, team_id, [(line.given, line.user_id, line.name, line.language) for line in lines]
    )
    people = [
        (line.user_id, line.language) for line in again if line.status is InviteStatus.invite and line.user_id
    ]
    notices.extend(
        Notice(team_id, f"invite:{u}", "invite", (u,), Invitation(actor), known_languages=((u, language),))
        for u, language in people
    )
    if people:
        admins.audit(session, team_id, actor, "import.invite", now, people=len(people))
    return len(people)
