"""The dashboard's Pairs page: active and recent pairings, how each is going, filtered and paged.

A pairing's health comes from what its members said: "on track" once someone answered the
check-in "met" or rated it 3 or more; "needs a check-in" when the check-in has gone out and
nobody said they met (or a rating was below 3); "too early to tell" before the check-in;
"ended early" when a member said it isn't working. Filters run in SQL where they can (the
name search, a team, a skill the mentee wants) and so does the page's cut, so only the page's
pairings are judged; a health filter judges every match, then cuts the page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, literal, or_
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from bot.domain import FeedbackKind, OutboxStatus, Page, PairHealth, PairingStatus, PairRow, SkillKind
from bot.storage.models import Feedback, Member, MemberSkill, Outbox, Pairing, as_utc, loaded_reasons

#: Pairings that ended within this long still show (the program's recent history).
RECENT = timedelta(weeks=12)
PAGE_SIZE = 50
#: A rating below this makes a pairing need a check-in.
GOOD_RATING = 3


def pairs_page(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    search: str = "",
    team: str = "",
    skill: str = "",
    health: PairHealth | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> Page[PairRow]:
    """Active pairings and those ended in the last ``RECENT``, newest first."""
    mentor, mentee = aliased(Member), aliased(Member)
    query = (
        select(Pairing, mentor.name, mentee.name)
        .join(
            mentor,
            (col(mentor.team_id) == col(Pairing.team_id)) & (col(mentor.user_id) == col(Pairing.mentor_id)),
        )
        .join(
            mentee,
            (col(mentee.team_id) == col(Pairing.team_id)) & (col(mentee.user_id) == col(Pairing.mentee_id)),
        )
        .where(
            Pairing.team_id == team_id,
            col(Pairing.status) != PairingStatus.proposed,
            or_(col(Pairing.status) == PairingStatus.active, col(Pairing.ends_at) >= now - RECENT),
        )
    )
    if search.strip():
        like = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(mentor.name).like(like), func.lower(mentee.name).like(like)))
    if team.strip():
        query = query.where(or_(col(mentor.team) == team.strip(), col(mentee.team) == team.strip()))
    if skill.strip():
        wants = select(MemberSkill.user_id).where(
            MemberSkill.team_id == team_id,
            MemberSkill.kind == SkillKind.goal,
            MemberSkill.skill_id == skill.strip(),
        )
        query = query.where(col(Pairing.mentee_id).in_(wants))
    ordered = query.order_by(col(Pairing.started_at).desc(), col(Pairing.id).desc())
    page = max(1, page)
    if health is None:  # only the page's rows need judging
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        found = session.exec(ordered.offset((page - 1) * size).limit(size)).all()
        judged = _judge(session, team_id, [p.id for p, _, _ in found])
        return Page(tuple(_row(p, a, b, judged) for p, a, b in found), total, page, size)
    # Judge every match from a few aggregate queries, then load only the page's rows.
    matching = ordered.with_only_columns(col(Pairing.id))
    judged = _judge(session, team_id, query.with_only_columns(col(Pairing.id)))
    ids = [
        pid
        for pid in session.connection().execute(matching).scalars()
        if pid is not None and judged.get(pid) is health
    ]
    wanted = ids[(page - 1) * size : page * size]
    found = session.exec(ordered.where(col(Pairing.id).in_(wanted))).all() if wanted else []
    return Page(tuple(_row(p, a, b, judged) for p, a, b in found), len(ids), page, size)


def _row(p: Pairing, mentor_name: str, mentee_name: str, judged: dict[int, PairHealth]) -> PairRow:
    return PairRow(
        p.id or 0,
        p.mentor_id,
        mentor_name or p.mentor_id,
        p.mentee_id,
        mentee_name or p.mentee_id,
        p.score,
        loaded_reasons(p.reasons),
        as_utc(p.started_at),
        as_utc(p.ends_at) if p.ends_at else None,
        PairingStatus(p.status),
        judged[p.id or 0],
    )


def teams(session: Session, team_id: str) -> list[str]:
    """The teams members entered, for the team filter."""
    named = session.exec(select(Member.team).where(Member.team_id == team_id, Member.team != "").distinct())
    return sorted(named)


def _judge(session: Session, team_id: str, pairings: Any) -> dict[int, PairHealth]:
    """The health of each pairing in ``pairings`` (ids, or a select of ids), from two grouped
    queries: what members answered and rated, and whether the check-in went out."""

    def flag(*conditions: Any) -> Any:
        return func.max(case((and_(*conditions), 1), else_=0))

    said = {
        pid: (met, not_working, low, rated)
        for pid, met, not_working, low, rated in session.connection().execute(
            sql_select(
                col(Feedback.pairing_id),
                flag(Feedback.kind == FeedbackKind.checkin, Feedback.answer == "met"),
                flag(Feedback.kind == FeedbackKind.checkin, Feedback.answer == "not_working"),
                flag(Feedback.kind == FeedbackKind.end, col(Feedback.rating) < GOOD_RATING),
                flag(Feedback.kind == FeedbackKind.end, col(Feedback.rating).is_not(None)),
            )
            .where(col(Feedback.team_id) == team_id, col(Feedback.pairing_id).in_(pairings))
            .group_by(col(Feedback.pairing_id))
        )
    }
    check_in_key = literal("checkin:").concat(cast(col(Pairing.id), String))
    asked = set(
        session.connection()
        .execute(
            sql_select(col(Pairing.id))
            .join(
                Outbox,
                and_(col(Outbox.team_id) == col(Pairing.team_id), col(Outbox.dedupe_key) == check_in_key),
            )
            .where(col(Pairing.id).in_(pairings), col(Outbox.status) == OutboxStatus.sent)
        )
        .scalars()
    )
    judged: dict[int, PairHealth] = {}
    statuses = sql_select(col(Pairing.id), col(Pairing.status)).where(col(Pairing.id).in_(pairings))
    for pid, status in session.connection().execute(statuses):
        if pid is None:
            continue
        met, not_working, low, rated = said.get(pid, (0, 0, 0, 0))
        if status == PairingStatus.ended_early or not_working:
            verdict = PairHealth.ended_early
        elif low:
            verdict = PairHealth.needs_check_in
        elif met or rated:
            verdict = PairHealth.on_track
        elif pid in asked:
            verdict = PairHealth.needs_check_in
        else:
            verdict = PairHealth.too_early
        judged[pid] = verdict
    return judged
