"""A new pair's or circle's first meeting: a slot picked with one click, or more slots asked for.

The first "This works" wins: the slot is stored, everyone in the pair or circle is told,
and the check-ins still waiting to go out move to after the meeting (so "did you meet?"
comes once it has happened). "None of these work" offers the next slots after the last
ones offered. Only slots that were offered can be picked, and only by members of the
pairing or circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain import (
    FIRST_MEETING,
    CircleIntro,
    FirstMeeting,
    Intro,
    MeetingPicked,
    MoreSlots,
    Notice,
    OutboxStatus,
    ProposedPair,
    Refusal,
)
from bot.services import pairings, slots
from bot.services.feedback import Subject, members_of, subject_row
from bot.storage.models import (
    LearningCircle,
    Member,
    Outbox,
    Pairing,
    ProgramSettings,
    as_utc,
    loaded_reasons,
)
from matching import Member as MatchMember
from matching.profile import Seniority
from matching.reasons import reason

#: "Did you meet?" goes out this long after the first meeting ends, at the earliest.
AFTER_MEETING = timedelta(hours=2)


class SlotRefused(Refusal):
    """A slot that can't be picked (no longer offered, or past); the message says why."""


@dataclass(frozen=True, slots=True)
class Picked:
    """The first meeting's time; ``already``: someone had picked it before this click."""

    at: datetime
    already: bool = False


def pick(
    session: Session,
    notices: list[Notice],
    team_id: str,
    subject: Subject,
    user_id: str,
    at: int,
    now: datetime,
) -> Picked:
    """``user_id`` says the offered slot starting at ``at`` (epoch seconds) works."""
    row = subject_row(session, team_id, subject, user_id, lock=True)
    if row.meeting_at is not None:
        return Picked(as_utc(row.meeting_at), already=True)
    if at not in row.slots:
        raise SlotRefused(reason("That time isn't one I offered for this pairing."))
    start = datetime.fromtimestamp(at, UTC)
    if start <= now:
        raise SlotRefused(reason("That time has passed: press None of these work for new ones."))
    row.meeting_at = start
    session.add(row)
    _check_in_after(session, team_id, subject, start + FIRST_MEETING + AFTER_MEETING)
    everyone = tuple(members_of(row))
    notices.append(Notice(team_id, f"meeting:{subject}", "meeting", everyone, MeetingPicked(user_id, start)))
    return Picked(start)


def more(
    session: Session, notices: list[Notice], team_id: str, subject: Subject, user_id: str, now: datetime
) -> FirstMeeting:
    """The next slots after the last ones offered, posted to everyone in the pair or circle."""
    row = subject_row(session, team_id, subject, user_id, lock=True)
    everyone = members_of(row)
    found = session.exec(select(Member).where(Member.team_id == team_id, col(Member.user_id).in_(everyone)))
    people = {m.user_id: m for m in found}
    after = max([now, *(datetime.fromtimestamp(at, UTC) for at in row.slots)])
    first = slots.first_meeting(str(subject), (people[u].timezone for u in everyone if u in people), after)
    row.slots = [*row.slots, *(int(at.timestamp()) for at in first.slots)]
    session.add(row)
    about = _about(session, team_id, row, people)
    key = f"moreslots:{subject}:{len(row.slots)}"
    notices.append(Notice(team_id, key, "meeting", tuple(everyone), MoreSlots(user_id, first, about)))
    return first


def _about(
    session: Session, team_id: str, row: Pairing | LearningCircle, people: dict[str, Member]
) -> Intro | CircleIntro:
    """What the calendar event says: the pair's title and agenda, or the circle's rotation."""
    settings = session.get(ProgramSettings, team_id)
    term = settings.term_weeks if settings else 12
    if isinstance(row, Pairing):
        name = {u: (m.name or u) for u, m in people.items()}
        pair = ProposedPair(
            row.mentor_id,
            row.mentee_id,
            name.get(row.mentor_id, row.mentor_id),
            name.get(row.mentee_id, row.mentee_id),
            row.score,
            loaded_reasons(row.reasons),
        )
        goals = pairings.goal_names(session, team_id, row.mentee_id).get(row.mentee_id, [])
        return Intro(pair, tuple(goals), term)
    members = tuple(
        MatchMember(u, people[u].name or u, Seniority.parse(people[u].seniority))
        for u in row.members
        if u in people
    )
    return CircleIntro(members, tuple((who, topic) for who, topic in row.rotation))


def _check_in_after(session: Session, team_id: str, subject: Subject, when: datetime) -> None:
    """Check-ins of this pairing or circle not yet sent wait until ``when``."""
    key = col(Outbox.dedupe_key)
    session.exec(
        update(Outbox)
        .where(
            col(Outbox.team_id) == team_id,
            col(Outbox.status) == OutboxStatus.pending,
            (key.startswith(f"checkin:{subject}:") if subject.circle else key == f"checkin:{subject}"),
            col(Outbox.send_after) < when,
        )
        .values(send_after=when)
    )
