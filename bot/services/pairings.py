"""A round's pairings: stored, announced to the pairs, or first shown to admins for review.

Shared by the round (``rounds``) and the admins' review of a held round (``review``),
which re-stores and finally announces the pairs the admins accepted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from bot.domain import (
    CheckIn,
    Intro,
    LeftOut,
    Notice,
    PairingStatus,
    ProposedPair,
    ReviewRequest,
    Row,
    SkillKind,
)
from bot.services.slots import first_meeting
from bot.services.workspaces import skills
from bot.storage.models import Member, MemberSkill, Pairing, ProgramSettings, loaded_reasons, stored_reasons
from matching import Reason


def store(
    session: Session,
    team_id: str,
    settings: ProgramSettings,
    round_id: int,
    now: datetime,
    pairs: list[ProposedPair],
    status: str,
) -> list[int]:
    """The round's pairings, "active" or "proposed" while admins review them; their ids, in order.
    One batched insert: a round stores tens of thousands."""
    if not pairs:
        return []
    rows = [
        {
            "team_id": team_id,
            "round_id": round_id,
            "mentor_id": pair.mentor_id,
            "mentee_id": pair.mentee_id,
            "score": pair.score,
            "reasons": stored_reasons(pair.reasons),
            "started_at": now,
            "ends_at": now + timedelta(weeks=settings.term_weeks),
            "status": status,
        }
        for pair in pairs
    ]
    ids = session.exec(insert(Pairing).returning(col(Pairing.id), sort_by_parameter_order=True), params=rows)
    return list(ids.scalars())


def announce(
    session: Session,
    notices: list[Notice],
    team_id: str,
    settings: ProgramSettings,
    round_id: int,
    now: datetime,
    pairs: list[tuple[int, ProposedPair]],
    unmatched: dict[str, Reason],
) -> None:
    """Every message a round's pairs (by pairing id) cause: intros, check-ins, notes to those left out."""
    goals = goal_names(session, team_id)
    zones = time_zones(session, team_id)
    checkin_at = now + timedelta(days=settings.checkin_days)
    offered = []
    for pairing, pair in pairs:
        both = (pair.mentor_id, pair.mentee_id)
        first = first_meeting(str(pairing), (zones[pair.mentor_id], zones[pair.mentee_id]), now)
        offered.append({"id": pairing, "slots": [int(at.timestamp()) for at in first.slots]})
        intro = Intro(pair, tuple(goals.get(pair.mentee_id, ())), settings.term_weeks, first)
        notices.append(Notice(team_id, f"intro:{pairing}", "intro", both, intro))
        notices.append(
            Notice(
                team_id, f"checkin:{pairing}", "checkin", both, CheckIn(str(pairing)), send_after=checkin_at
            )
        )
    if offered:
        session.exec(update(Pairing), params=offered)  # bulk UPDATE by primary key
    tell_unmatched(notices, team_id, round_id, unmatched)


def time_zones(session: Session, team_id: str) -> dict[str, str]:
    """Each member's time zone."""
    return dict(session.exec(select(Member.user_id, Member.timezone).where(Member.team_id == team_id)).all())


def tell_unmatched(notices: list[Notice], team_id: str, round_id: int, unmatched: dict[str, Reason]) -> None:
    """A note to each mentee the round left without a mentor: why, and that they have priority next."""
    notices.extend(
        Notice(team_id, f"unmatched:{round_id}:{member_id}", "unmatched", (member_id,), LeftOut(reason))
        for member_id, reason in unmatched.items()
    )


def goal_names(session: Session, team_id: str, user_id: str | None = None) -> dict[str, list[str]]:
    """Each member's goals by name, most wanted first; only ``user_id``'s when given (one
    intro or request needs one mentee's, not the workspace's)."""
    names = {s.id: s.name for s in skills(session, team_id)}
    goals: dict[str, list[tuple[int, str]]] = defaultdict(list)
    query = select(MemberSkill.user_id, MemberSkill.skill_id, MemberSkill.value).where(
        MemberSkill.team_id == team_id, MemberSkill.kind == SkillKind.goal
    )
    if user_id is not None:
        query = query.where(MemberSkill.user_id == user_id)
    for user, skill, value in session.exec(query):
        goals[user].append((-value, names[skill]))
    return {user: [name for _, name in sorted(items)] for user, items in goals.items()}


def reviewers(settings: ProgramSettings) -> list[str]:
    """Where a held round goes: the admin channel, else the named admins; none: no review."""
    if not settings.review_before_publish:
        return []
    return [settings.admin_channel] if settings.admin_channel else list(settings.admins)


def review_rows(session: Session, team_id: str, round_id: int) -> list[Row]:
    proposed = session.exec(
        select(Pairing)
        .where(
            Pairing.team_id == team_id, Pairing.round_id == round_id, Pairing.status == PairingStatus.proposed
        )
        .order_by(col(Pairing.id))
    ).all()
    names = {
        m.user_id: m.name or m.user_id for m in session.exec(select(Member).where(Member.team_id == team_id))
    }
    return [
        Row(
            k,
            p.id or 0,
            ProposedPair(
                p.mentor_id,
                p.mentee_id,
                names.get(p.mentor_id, p.mentor_id),
                names.get(p.mentee_id, p.mentee_id),
                p.score,
                loaded_reasons(p.reasons),
            ),
        )
        for k, p in enumerate(proposed, start=1)
    ]


def queue_review(
    session: Session,
    notices: list[Notice],
    settings: ProgramSettings,
    round_id: int,
    unmatched: dict[str, Reason],
    now: datetime,
) -> None:
    """The held round's proposal, to the reviewers (see :func:`reviewers`)."""
    team_id = settings.team_id
    proposal = ReviewRequest(
        round_id,
        tuple(review_rows(session, team_id, round_id)),
        len(unmatched),
        now + timedelta(hours=settings.review_hours),
        settings.review_expiry,
    )
    for dest in reviewers(settings):
        key = f"review:{round_id}:{dest}"
        if dest == settings.admin_channel:
            admins = tuple(settings.admins)
            notices.append(Notice(team_id, key, "review", (), proposal, channel=dest, readers=admins))
        else:
            notices.append(Notice(team_id, key, "review", (dest,), proposal))
