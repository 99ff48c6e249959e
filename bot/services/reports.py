"""Is the program working? Aggregates for admins, computed in the database.

Everything here is a handful of grouped queries, so a report stays fast for a
20,000-member workspace with a year of weekly rounds (see BENCHMARKS.md). Private
free-text comments are left out unless an admin asks for them, and members who
used ``/mentor forget-me`` are gone from every figure (their rows are deleted).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, func
from sqlmodel import Session, col, select

from bot.domain import (
    FeedbackKind,
    ModeOutcome,
    OutboxStatus,
    PairingStatus,
    Report,
    RequestStatus,
    RoundFormat,
    RoundPoint,
    RoundStatus,
    SkillBalance,
    SkillKind,
)
from bot.services.no_shows import REASON as NO_SHOW
from bot.services.workspaces import skills
from bot.storage.models import (
    Feedback,
    LearningCircle,
    Member,
    MemberSkill,
    MentorRequest,
    Outbox,
    Pairing,
    ProgramSettings,
    Round,
)
from matching import UnmatchedCause


def build(
    session: Session,
    team_id: str,
    now: datetime,
    weeks: int = 12,
    include_comments: bool = False,
) -> Report:
    """The admin report for one workspace over the last ``weeks`` weeks."""
    since = now - timedelta(weeks=weeks)
    report = Report(weeks=weeks)
    _participants(session, team_id, report)
    _rounds(session, team_id, since, report)
    _outcomes(session, team_id, since, report, include_comments)
    report.skills = skill_balance(session, team_id)
    return report


def _participants(session: Session, team_id: str, r: Report) -> None:
    active = ~col(Member.paused)
    mentor = active & (col(Member.mentor_capacity) > 0)
    mentee = active & col(Member.wants_mentor)
    figures: list[Any] = [
        func.count(),
        func.sum(case((mentor, 1), else_=0)),
        func.sum(case((mentee, 1), else_=0)),
        func.sum(case((mentor & mentee, 1), else_=0)),
        func.sum(case((col(Member.paused), 1), else_=0)),
        func.sum(case((mentor, col(Member.mentor_capacity)), else_=0)),
    ]
    row = session.exec(select(*figures).where(Member.team_id == team_id)).one()
    r.members, r.mentors, r.mentees, r.both, r.paused, r.capacity = (int(v or 0) for v in row)
    r.no_shows = sorted(
        m.name or m.user_id
        for m in session.exec(
            select(Member).where(Member.team_id == team_id, Member.paused, Member.pause_reason == NO_SHOW)
        )
    )
    r.capacity_used = int(
        session.exec(
            select(func.count()).where(Pairing.team_id == team_id, Pairing.status == PairingStatus.active)
        ).one()
    )


#: Pairs and circles, the units a round makes: (id, the feedback column naming one, round, workspace).
_UNITS = (
    (col(Pairing.id), col(Feedback.pairing_id), col(Pairing.round_id), col(Pairing.team_id)),
    (
        col(LearningCircle.id),
        col(Feedback.circle_id),
        col(LearningCircle.round_id),
        col(LearningCircle.team_id),
    ),
)


def _meeting_rates(session: Session, team_id: str, since: datetime) -> dict[int, tuple[int, int]]:
    """round id -> (pairs or circles with a check-in answer, of which met)."""
    rates: dict[int, tuple[int, int]] = {}
    met = func.max(case((col(Feedback.answer) == "met", 1), else_=0)).label("met")
    for unit_id, about, round_id, unit_team in _UNITS:
        per_unit = (
            select(round_id, unit_id, met)
            .join(Feedback, about == unit_id)
            .join(Round, col(Round.id) == round_id)
            .where(unit_team == team_id, Feedback.kind == FeedbackKind.checkin, Round.created_at >= since)
            .group_by(round_id, unit_id)
            .subquery()
        )
        rows = session.exec(
            select(per_unit.c.round_id, func.count(), func.sum(per_unit.c.met.cast(Integer))).group_by(
                per_unit.c.round_id
            )
        ).all()
        rates.update({rid: (int(n), int(m or 0)) for rid, n, m in rows})
    return rates


def _ratings(session: Session, team_id: str, since: datetime) -> dict[int, tuple[int, int]]:
    """round id -> (sum, count) of the end-of-term ratings of its pairs or circles."""
    ratings: dict[int, tuple[int, int]] = {}
    for unit_id, about, round_id, unit_team in _UNITS:
        rows = session.exec(
            select(round_id, func.sum(col(Feedback.rating)), func.count(col(Feedback.rating)))
            .join(Feedback, about == unit_id)
            .join(Round, col(Round.id) == round_id)
            .where(unit_team == team_id, Feedback.kind == FeedbackKind.end, Round.created_at >= since)
            .group_by(round_id)
        ).all()
        ratings.update({rid: (int(total or 0), int(n)) for rid, total, n in rows})
    return ratings


def _accepted(session: Session, team_id: str, since: datetime) -> dict[int, int]:
    """round id -> shortlist requests accepted (the shortlist format's pairs)."""
    return dict(
        session.exec(
            select(MentorRequest.round_id, func.count())
            .join(Round, col(Round.id) == col(MentorRequest.round_id))
            .where(
                MentorRequest.team_id == team_id,
                MentorRequest.status == RequestStatus.accepted,
                Round.created_at >= since,
            )
            .group_by(col(MentorRequest.round_id))
        ).all()
    )


def _point(rnd: Round, accepted: dict[int, int], rates: dict[int, tuple[int, int]]) -> RoundPoint:
    """Who got a match in a round and who didn't, in the terms of the round's format."""
    stats = rnd.stats or {}
    answered, met = rates.get(rnd.id or 0, (0, 0))
    rate = met / answered if answered else None
    if rnd.format == RoundFormat.circles:
        placed = int(stats.get("placed", 0))
        return RoundPoint(
            rnd.period, placed, len(stats.get("unplaced", [])), rate, "circles", stats["circles"]
        )
    unmatched = len(stats.get("unmatched", {}))
    if (
        rnd.format == RoundFormat.shortlist
    ):  # listed mentees who haven't had a request accepted count as waiting
        paired = int(accepted.get(rnd.id or 0, 0))
        return RoundPoint(
            rnd.period, paired, int(stats.get("shortlisted", 0)) - paired + unmatched, rate, "shortlist"
        )
    return RoundPoint(rnd.period, int(stats.get("pairs", 0)), unmatched, rate)


def _modes(
    rounds: list[Round],
    points: list[RoundPoint],
    rates: dict[int, tuple[int, int]],
    ratings: dict[int, tuple[int, int]],
) -> list[ModeOutcome]:
    """Each format's outcomes over the window's rounds, side by side (see :class:`ModeOutcome`)."""
    modes: dict[str, ModeOutcome] = {}
    for rnd, point in zip(rounds, points, strict=True):
        mode = modes.setdefault(rnd.format, ModeOutcome(rnd.format))
        answered, met = rates.get(rnd.id or 0, (0, 0))
        total, n = ratings.get(rnd.id or 0, (0, 0))
        mode.rounds += 1
        mode.matched, mode.asked = mode.matched + point.pairs, mode.asked + point.pairs + point.unmatched
        mode.answered, mode.met = mode.answered + answered, mode.met + met
        mode.rating_total, mode.ratings = mode.rating_total + total, mode.ratings + n
    order = ("pairs", "shortlist", "circles")
    return sorted(modes.values(), key=lambda m: order.index(m.format) if m.format in order else len(order))


def _rounds(session: Session, team_id: str, since: datetime, r: Report) -> None:
    rounds = session.exec(
        select(Round)
        .where(Round.team_id == team_id, Round.status == RoundStatus.done, Round.created_at >= since)
        .order_by(col(Round.created_at))
    ).all()
    rates = _meeting_rates(session, team_id, since)
    accepted = _accepted(session, team_id, since)
    r.trend = [_point(rnd, accepted, rates) for rnd in rounds]
    r.modes = _modes(list(rounds), r.trend, rates, _ratings(session, team_id, since))
    answered = sum(a for a, _ in rates.values())
    r.meeting_rate = sum(m for _, m in rates.values()) / answered if answered else None
    if not rounds:
        return
    latest = rounds[-1]
    r.latest = r.trend[-1]
    stats = latest.stats or {}
    causes = Counter(stats.get("causes", {}).values())
    causes[None] = len(stats.get("unmatched", {})) - causes.total()  # rounds from before causes were kept
    r.unmatched_by_cause = sorted(
        ((None if c is None else UnmatchedCause(c), n) for c, n in causes.items() if n > 0),
        key=lambda kv: (-kv[1], kv[0] or ""),
    )
    avg, low = session.exec(
        select(func.avg(Pairing.score), func.min(Pairing.score)).where(Pairing.round_id == latest.id)
    ).one()
    r.average_score = float(avg) if avg is not None else None
    r.lowest_score = float(low) if low is not None else None


def _outcomes(session: Session, team_id: str, since: datetime, r: Report, include_comments: bool) -> None:
    avg, count = session.exec(
        select(func.avg(col(Feedback.rating)), func.count(col(Feedback.rating))).where(
            Feedback.team_id == team_id, Feedback.kind == FeedbackKind.end, Feedback.created_at >= since
        )
    ).one()
    r.satisfaction, r.ratings = (float(avg) if avg is not None else None), int(count)
    r.ended_early = int(
        session.exec(
            select(func.count())
            .select_from(Pairing)
            .join(Round, col(Round.id) == col(Pairing.round_id))
            .where(
                Pairing.team_id == team_id,
                Pairing.status == PairingStatus.ended_early,
                Round.created_at >= since,
            )
        ).one()
    )
    r.delivery_failures = int(
        session.exec(
            select(func.count()).where(
                Outbox.team_id == team_id, Outbox.status == OutboxStatus.failed, Outbox.created_at >= since
            )
        ).one()
    )
    if include_comments:
        r.comments = [
            comment
            for comment in session.exec(
                select(Feedback.comment)
                .where(
                    Feedback.team_id == team_id,
                    col(Feedback.comment).is_not(None),
                    Feedback.created_at >= since,
                )
                .order_by(col(Feedback.created_at))
            )
            if comment is not None  # the query leaves none out; this tells the type checker
        ]


def skill_balance(session: Session, team_id: str) -> list[SkillBalance]:
    """Per skill: mentees who want it, and mentor places offering it (active members only)."""
    names = {s.id: s.name for s in skills(session, team_id)}
    joined = (col(MemberSkill.team_id) == col(Member.team_id)) & (
        col(MemberSkill.user_id) == col(Member.user_id)
    )
    demand = dict(
        session.exec(
            select(MemberSkill.skill_id, func.count())
            .join(Member, joined)
            .where(
                MemberSkill.team_id == team_id,
                MemberSkill.kind == SkillKind.goal,
                Member.wants_mentor,
                ~col(Member.paused),
            )
            .group_by(MemberSkill.skill_id)
        ).all()
    )
    supply = dict(
        session.exec(
            select(MemberSkill.skill_id, func.sum(Member.mentor_capacity))
            .join(Member, joined)
            .where(
                MemberSkill.team_id == team_id,
                MemberSkill.kind == SkillKind.strength,
                Member.mentor_capacity > 0,
                ~col(Member.paused),
            )
            .group_by(MemberSkill.skill_id)
        ).all()
    )
    return sorted(
        (
            SkillBalance(names.get(k, k), int(demand.get(k, 0)), int(supply.get(k, 0)))
            for k in set(demand) | set(supply)
        ),
        key=lambda s: (-s.demand, s.skill),
    )


def admin_channel(session: Session, team_id: str) -> str | None:
    settings = session.get(ProgramSettings, team_id)
    return settings.admin_channel if settings else None
