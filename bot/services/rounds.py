"""The weekly round: who is free, the matching engine, and the pairs and messages it produces.

Exactly once per period, whatever happens: the round row is unique per
(workspace, period) in the database, and it is inserted in the same transaction
that stores the pairings and the outbox messages. A second worker running the
same round blocks on that row and then finds it taken; a crash rolls everything
back, so the next attempt starts clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain import (
    CircleStatus,
    FeedbackPrompt,
    Notice,
    PairingStatus,
    ProposedPair,
    RoundFormat,
    RoundOutcome,
    RoundStatus,
    RoundSummary,
)
from bot.services import circles, no_shows, pairings, shortlists
from bot.services.match_inputs import left_out, match_inputs, round_profiles
from bot.services.profiles import avoided_pairs
from bot.services.workspaces import ensure_workspace
from bot.storage.models import (
    LearningCircle,
    Member,
    Pairing,
    ProgramSettings,
    Round,
    as_utc,
    loaded_left_out,
    stored_left_out,
)
from matching import Reason, match

#: Periods are counted in blocks of ``cadence_weeks`` from this Monday.
EPOCH = date(2024, 1, 1)


def period_start(settings: ProgramSettings, now: datetime) -> date:
    """Monday of the first week of the period containing ``now`` (program time zone)."""
    local = now.astimezone(ZoneInfo(settings.timezone)).date()
    monday = local - timedelta(days=local.weekday())
    weeks = (monday - EPOCH).days // 7
    return EPOCH + timedelta(weeks=weeks - weeks % max(1, settings.cadence_weeks))


def period_of(settings: ProgramSettings, now: datetime) -> str:
    year, week, _ = period_start(settings, now).isocalendar()
    return f"{year}-W{week:02d}"


def next_period(settings: ProgramSettings, period: str) -> str:
    """The period after ``period`` (an ISO week such as "2026-W49", as :func:`period_of` gives)."""
    year, _, week = period.partition("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    later = monday + timedelta(weeks=max(1, settings.cadence_weeks), days=3)
    return period_of(settings, datetime.combine(later, time(12), ZoneInfo(settings.timezone)))


def scheduled_time(settings: ProgramSettings, now: datetime) -> datetime:
    """When this period's round is due: the configured weekday and hour of its first week."""
    day = period_start(settings, now) + timedelta(days=settings.weekday)
    return datetime.combine(day, time(settings.hour), ZoneInfo(settings.timezone))


def is_due(settings: ProgramSettings, now: datetime) -> bool:
    return now >= scheduled_time(settings, now)


def has_run(session: Session, team_id: str, period: str) -> bool:
    return (
        session.exec(select(Round.id).where(Round.team_id == team_id, Round.period == period)).first()
        is not None
    )


def _names(session: Session, team_id: str, ids: Iterable[str]) -> dict[str, str]:
    """Display names of these members (their id where the profile has no name)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(Member.user_id, Member.name).where(Member.team_id == team_id, col(Member.user_id).in_(wanted))
    )
    return {user_id: name or user_id for user_id, name in rows}


def run_round(
    session: Session, notices: list[Notice], team_id: str, now: datetime, *, dry_run: bool = False
) -> RoundOutcome:
    """Run this period's round for one workspace (or preview it with ``dry_run``), in the caller's
    transaction; the messages it causes are appended to ``notices``.

    Once per period: a second run of the same period, even one racing this on another worker,
    does nothing and says so (``created=False``).
    """
    ensure_workspace(session, team_id, now)
    # Held until the round commits: members' heads-up answers wait for it (see participation).
    settings = session.get(ProgramSettings, team_id, with_for_update=not dry_run)
    assert settings is not None
    period = period_of(settings, now)
    if dry_run:
        proposed, left_out, _ = match_round(session, team_id, settings, now)
        return RoundOutcome(
            period,
            created=False,
            pairs=proposed,
            unmatched=left_out,
            names=_names(session, team_id, left_out),
        )
    if has_run(session, team_id, period):
        return RoundOutcome(period, created=False)
    rnd = Round(team_id=team_id, period=period, status=RoundStatus.running, created_at=now)
    try:
        with session.begin_nested():  # claims the period: a concurrent worker waits here, then fails
            session.add(rnd)
    except IntegrityError:
        return RoundOutcome(period, created=False)
    assert rnd.id is not None
    ended = _end_finished_terms(session, notices, team_id, now)
    _resume_expired_pauses(session, team_id, now)
    quiet = no_shows.pause_silent_members(session, notices, team_id, settings.no_show_limit, rnd.id, now)
    run = RoundRun(session, notices, settings, rnd.id, period, now)
    made = ROUND_FORMATS[RoundFormat(settings.format)](run)
    rnd.format = settings.format
    rnd.status = RoundStatus.pending if made.held else RoundStatus.done
    if not made.held:
        rnd.finished_at = now
    rnd.stats = {**made.stats, "ended": ended, "no_shows": quiet}
    session.add(rnd)
    return RoundOutcome(
        period,
        created=True,
        round_id=rnd.id,
        pairs=made.pairs,
        unmatched=made.unmatched,
        names=_names(session, team_id, made.unmatched),
        ended=ended,
        pending=made.held,
    )


@dataclass(frozen=True, slots=True)
class RoundRun:
    """A round being made, as each format sees it: in the round's transaction (``session``),
    after the housekeeping, with the notices to append the messages it causes to."""

    session: Session
    notices: list[Notice]
    settings: ProgramSettings
    round_id: int
    period: str
    now: datetime

    @property
    def team_id(self) -> str:
        return self.settings.team_id


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    """What one format's round stored: its stats, the pairs it made and who it left out, and whether
    it is held for the admins' review (then nothing has gone to members yet)."""

    stats: dict[str, Any]
    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: dict[str, Reason] = field(default_factory=dict)
    held: bool = False


def _pairs_round(r: RoundRun) -> FormatOutcome:
    pairs, unmatched, stats = match_round(r.session, r.team_id, r.settings, r.now)
    stats.update(pairs=len(pairs), unmatched=stored_left_out(unmatched))
    if pairings.reviewers(r.settings):
        pairings.store(r.session, r.team_id, r.settings, r.round_id, r.now, pairs, PairingStatus.proposed)
        pairings.queue_review(r.session, r.notices, r.settings, r.round_id, unmatched, r.now)
        return FormatOutcome(stats, pairs, unmatched, held=True)
    made = pairings.store(r.session, r.team_id, r.settings, r.round_id, r.now, pairs, PairingStatus.active)
    announced = list(zip(made, pairs, strict=True))
    pairings.announce(r.session, r.notices, r.team_id, r.settings, r.round_id, r.now, announced, unmatched)
    return FormatOutcome(stats, pairs, unmatched)


def _shortlist_round(r: RoundRun) -> FormatOutcome:
    given = match_inputs(r.session, r.team_id, r.settings, r.period, r.now)
    stats = shortlists.store_shortlists(r.session, r.notices, r.settings, r.round_id, given, r.now)
    return FormatOutcome(stats, unmatched=loaded_left_out(stats["unmatched"]))


def _circles_round(r: RoundRun) -> FormatOutcome:
    """Grouping needs no pairing history or waiting counts, only the profiles and who avoids whom."""
    profiles, _ = round_profiles(r.session, r.team_id, r.period)
    avoided = avoided_pairs(r.session, r.team_id)
    return FormatOutcome(
        circles.store_circles(r.session, r.notices, r.settings, r.round_id, profiles, avoided, r.now)
    )


#: Each program format's round: one small interface, a ``RoundRun`` in, a ``FormatOutcome`` out.
ROUND_FORMATS: dict[RoundFormat, Callable[[RoundRun], FormatOutcome]] = {
    RoundFormat.pairs: _pairs_round,
    RoundFormat.shortlist: _shortlist_round,
    RoundFormat.circles: _circles_round,
}


def match_round(
    session: Session,
    team_id: str,
    settings: ProgramSettings,
    now: datetime,
    exclude: Iterable[tuple[str, str]] = (),
    require: Iterable[tuple[str, str]] = (),
) -> tuple[list[ProposedPair], dict[str, Reason], dict[str, object]]:
    """The engine on the workspace as it stands; ``exclude``/``require`` are an admin's review edits.

    Raises ``matching.InfeasiblePair`` when a required pair breaks a hard constraint.
    """
    given = match_inputs(session, team_id, settings, period_of(settings, now), now)
    result = match(
        given.profiles,
        given.history,
        waiting=given.waiting,
        weights=given.weights,
        at=now,
        maxcardinality=given.maxcardinality,
        exclude=[*exclude, *given.exclude],
        require=require,
    )
    names = given.names
    pairs = [
        ProposedPair(p.mentor, p.mentee, names[p.mentor], names[p.mentee], p.score, p.reasons)
        for p in result.pairs
    ]
    reasons, causes = left_out(result.unmatched)
    return (
        pairs,
        reasons,
        {"feasible_pairs": result.feasible_pairs, "objective": settings.objective, "causes": causes},
    )


def _end_finished_terms(session: Session, notices: list[Notice], team_id: str, now: datetime) -> int:
    """Pairs and circles past their term end; each member is asked for feedback."""
    due = session.exec(
        select(Pairing).where(Pairing.team_id == team_id, Pairing.status == PairingStatus.active)
    ).all()
    ended = 0
    for p in due:
        if p.ends_at is not None and as_utc(p.ends_at) <= now:
            p.status = PairingStatus.ended
            session.add(p)
            notices.extend(
                Notice(
                    team_id,
                    f"feedback:{p.id}:{user}",
                    "feedback",
                    (user,),
                    FeedbackPrompt(str(p.id), partner),
                )
                for user, partner in ((p.mentor_id, p.mentee_id), (p.mentee_id, p.mentor_id))
            )
            ended += 1
    for circle in session.exec(
        select(LearningCircle).where(
            LearningCircle.team_id == team_id, LearningCircle.status == CircleStatus.active
        )
    ).all():
        if circle.ends_at is not None and as_utc(circle.ends_at) <= now:
            circle.status = CircleStatus.ended
            session.add(circle)
            prompt = FeedbackPrompt(f"c{circle.id}")
            notices.extend(
                Notice(team_id, f"feedback:c{circle.id}:{user}", "feedback", (user,), prompt)
                for user in circle.members
            )
            ended += 1
    return ended


def _resume_expired_pauses(session: Session, team_id: str, now: datetime) -> None:
    for m in session.exec(select(Member).where(Member.team_id == team_id, Member.paused)).all():
        if m.paused_until is not None and as_utc(m.paused_until) <= now:
            m.paused, m.paused_until = False, None
            session.add(m)


def history(session: Session, team_id: str, limit: int = 52) -> list[RoundSummary]:
    """The workspace's rounds, newest first (a year of weekly rounds by default)."""
    return [
        RoundSummary(
            r.id or 0,
            r.period,
            r.format or RoundFormat.pairs,
            RoundStatus(r.status),
            int((r.stats or {}).get("pairs", 0) or 0),
            len((r.stats or {}).get("unmatched", {}) or {}),
            as_utc(r.created_at),
        )
        for r in session.exec(
            select(Round).where(Round.team_id == team_id).order_by(col(Round.created_at).desc()).limit(limit)
        )
    ]
