"""Before each round: a heads-up to everyone who would take part, and what they answer.

Members can count themselves in, skip the coming round, pause for a few weeks, or
stop the heads-ups. An answer is taken under the lock on the workspace's settings
row, which the round also holds from start to commit (``rounds.run_round``): so an
answer either lands before the round reads who takes part, and the round honours
it, or after the round is stored, and it applies to the next round (and the member
is told which). It can't fall in between and be lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, select

from bot.domain import Notice, RoundComing
from bot.services.match_inputs import round_profiles
from bot.services.profiles import NoProfile
from bot.services.rounds import (
    has_run,
    next_period,
    period_of,
    scheduled_time,
)
from bot.services.workspaces import ensure_workspace
from bot.storage.models import AuditLog, HeadsUp, Member, ProgramSettings
from bot.storage.upsert import insert_ignore

#: The longest pause ``/mentor pause N`` takes, in weeks.
MAX_PAUSE_WEEKS = 52


class Answer(StrEnum):
    IN = "in"
    SKIP = "skip"
    PAUSE_2 = "pause_2"
    PAUSE_4 = "pause_4"
    STOP = "stop"  # no more heads-ups


@dataclass(frozen=True, slots=True)
class Upcoming:
    period: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Answered:
    answer: Answer
    period: str  # the round the answer applies to
    late: bool  # the round it was meant for had already run: it applies to the next one
    paused_until: datetime | None = None


def upcoming(settings: ProgramSettings, now: datetime) -> Upcoming:
    """The next round still to run at ``now``: this period's if its time hasn't come, else the next."""
    at = scheduled_time(settings, now)
    if now >= at:
        at = scheduled_time(settings, now + timedelta(weeks=settings.cadence_weeks))
    return Upcoming(period_of(settings, at), at)


def heads_up_due(settings: ProgramSettings, now: datetime) -> Upcoming | None:
    """The coming round, if its heads-up should be out by ``now``."""
    if settings.heads_up_hours <= 0:
        return None
    nxt = upcoming(settings, now)
    return nxt if now >= nxt.at - timedelta(hours=settings.heads_up_hours) else None


def due_heads_ups(session: Session, now: datetime) -> list[tuple[str, Upcoming]]:
    due = [(s.team_id, heads_up_due(s, now)) for s in session.exec(select(ProgramSettings)).all()]
    sent = {(h.team_id, h.period) for h in session.exec(select(HeadsUp)).all()}
    return [(team, nxt) for team, nxt in due if nxt is not None and (team, nxt.period) not in sent]


def queue_heads_up(
    session: Session, notices: list[Notice], team_id: str, nxt: Upcoming, now: datetime
) -> int:
    """The heads-up DM for everyone the coming round would include; once per period.

    Returns how many were queued (0 if this period's heads-up already went out).
    """
    settings = session.get(ProgramSettings, team_id, with_for_update=True)
    assert settings is not None
    if session.get(HeadsUp, (team_id, nxt.period)) is not None or has_run(session, team_id, nxt.period):
        return 0
    wanted = {m.user_id for m in session.exec(select(Member).where(Member.team_id == team_id)) if m.heads_up}
    people = [
        p
        for p in round_profiles(session, team_id, nxt.period)[0]
        if p.id in wanted and (p.is_mentor or p.is_mentee)
    ]
    insert_ignore(
        session,
        HeadsUp,
        [{"team_id": team_id, "period": nxt.period, "members": len(people), "created_at": now}],
    )
    notices.extend(
        Notice(
            team_id,
            f"headsup:{nxt.period}:{p.id}",
            "headsup",
            (p.id,),
            RoundComing(nxt.period, nxt.at, p.mentor_capacity if p.is_mentor else 0, p.is_mentee),
        )
        for p in people
    )
    return len(people)


def answer(
    session: Session, team_id: str, user_id: str, period: str, choice: Answer, now: datetime
) -> Answered:
    """Record a member's answer to the heads-up for ``period`` (see the module docstring)."""
    ensure_workspace(session, team_id, now)
    settings = session.get(ProgramSettings, team_id, with_for_update=True)  # waits for a running round
    assert settings is not None
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise NoProfile(user_id)
    late = has_run(session, team_id, period)
    target = next_period(settings, period) if late else period
    until = None
    if choice is Answer.IN:
        if member.skip_period == target:
            member.skip_period = None
    elif choice is Answer.SKIP:
        member.skip_period = target
    elif choice in (Answer.PAUSE_2, Answer.PAUSE_4):
        until = now + timedelta(weeks=2 if choice is Answer.PAUSE_2 else 4)
        member.paused, member.paused_until = True, until
    else:
        member.heads_up = False
    member.updated_at = now
    session.add(member)
    session.add(
        AuditLog(
            team_id=team_id,
            actor_id=user_id,
            action=f"headsup.{choice.value}",
            detail={"period": target, "late": late},
            created_at=now,
        )
    )
    return Answered(choice, target, late, until)


def pause(session: Session, team_id: str, user_id: str, weeks: int | None, now: datetime) -> None:
    """Pause a member (never paired while paused), indefinitely or for some weeks."""
    if weeks is not None and not 1 <= weeks <= MAX_PAUSE_WEEKS:
        raise ValueError(f"weeks must be between 1 and {MAX_PAUSE_WEEKS}")
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise NoProfile(user_id)
    member.paused = True
    member.paused_until = now + timedelta(weeks=weeks) if weeks else None
    member.updated_at = now
    session.add(member)


def resume(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """Back in the next round; after going quiet, earlier unanswered check-ins no longer count."""
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise NoProfile(user_id)
    member.paused = False
    member.paused_until = None
    if member.pause_reason:  # back after going quiet: earlier unanswered check-ins no longer count
        member.pause_reason, member.attention_since = None, now
    member.updated_at = now
    session.add(member)


def set_heads_up(session: Session, team_id: str, user_id: str, on: bool, now: datetime) -> None:
    """Turn a member's heads-ups on or off (``/mentor heads-up on|off``)."""
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise NoProfile(user_id)
    member.heads_up = on
    session.add(member)
    action = f"headsup.{'on' if on else 'off'}"
    session.add(AuditLog(team_id=team_id, actor_id=user_id, action=action, created_at=now))
