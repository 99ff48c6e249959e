"""The dashboard's Pairs page: active and recent pairings, how each is going, filtered and paged.

A pairing's health comes from what its members said: "on track" once someone answered the
check-in "met" or rated it 3 or more; "needs a check-in" when the check-in has gone out and
nobody said they met (or a rating was below 3); "too early to tell" before the check-in;
"ended early" when a member said it isn't working. Filters run in SQL where they can (the
name search, a team, a skill the mentee wants) and so does the page's cut, so only the page's
pairings are judged; a health filter judges every match, then cuts the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from bot.domain import FeedbackKind, OutboxStatus, Page, PairHealth, PairingStatus, PairRow, SkillKind
from bot.storage.models import Feedback, Member, MemberSkill, Outbox, Pairing, as_utc

#: Pairings that ended within this long still show (the program's recent history).
RECENT = timedelta(weeks=12)
PAGE_SIZE = 50
CHUNK = 5000
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
        rows = _rows(session, team_id, found)
        return Page(tuple(rows), total, page, size)
    rows = [r for r in _rows(session, team_id, session.exec(ordered).all()) if r.health is health]
    return Page(tuple(rows[(page - 1) * size : page * size]), len(rows), page, size)


def _rows(session: Session, team_id: str, found: Sequence[Any]) -> list[PairRow]:
    judged = _health(session, team_id, [p for p, _, _ in found])
    return [
        PairRow(
            p.id or 0,
            p.mentor_id,
            mentor_name or p.mentor_id,
            p.mentee_id,
            mentee_name or p.mentee_id,
            p.score,
            tuple(p.reasons),
            as_utc(p.started_at),
            as_utc(p.ends_at) if p.ends_at else None,
            PairingStatus(p.status),
            judged[p.id or 0],
        )
        for p, mentor_name, mentee_name in found
    ]


def teams(session: Session, team_id: str) -> list[str]:
    """The teams members entered, for the team filter."""
    named = session.exec(select(Member.team).where(Member.team_id == team_id, Member.team != "").distinct())
    return sorted(named)


def _health(session: Session, team_id: str, pairings: list[Pairing]) -> dict[int, PairHealth]:
    ids = [p.id for p in pairings if p.id is not None]
    answers: dict[int, set[str]] = defaultdict(set)
    ratings: dict[int, list[int]] = defaultdict(list)
    asked: set[int] = set()
    for start in range(0, len(ids), CHUNK):  # under every database's bound-parameter limit
        chunk = ids[start : start + CHUNK]
        for pairing_id, kind, answer, rating in session.exec(
            select(Feedback.pairing_id, Feedback.kind, Feedback.answer, Feedback.rating).where(
                Feedback.team_id == team_id, col(Feedback.pairing_id).in_(chunk)
            )
        ):
            if pairing_id is None:
                continue
            if kind == FeedbackKind.checkin and answer:
                answers[pairing_id].add(answer)
            elif kind == FeedbackKind.end and rating is not None:
                ratings[pairing_id].append(rating)
        keys = [f"checkin:{pid}" for pid in chunk]
        asked.update(
            int(key.removeprefix("checkin:"))
            for key in session.exec(
                select(Outbox.dedupe_key).where(
                    Outbox.team_id == team_id,
                    col(Outbox.dedupe_key).in_(keys),
                    Outbox.status == OutboxStatus.sent,
                )
            )
        )
    judged = {}
    for p in pairings:
        pid = p.id or 0
        low = any(r < GOOD_RATING for r in ratings[pid])
        if p.status == PairingStatus.ended_early or "not_working" in answers[pid]:
            judged[pid] = PairHealth.ended_early
        elif low:
            judged[pid] = PairHealth.needs_check_in
        elif "met" in answers[pid] or ratings[pid]:
            judged[pid] = PairHealth.on_track
        elif pid in asked:
            judged[pid] = PairHealth.needs_check_in
        else:
            judged[pid] = PairHealth.too_early
    return judged
