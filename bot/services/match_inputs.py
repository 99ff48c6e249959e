"""The workspace as the matching engine sees it: profiles with free capacity, history, waiting.

Pairs and shortlist rounds and the admins' review start from :func:`match_inputs`,
so they all see the same members, the same "never pair me with" lists and the same
free slots; circles rounds use :func:`round_profiles` alone (grouping needs no
pairing history or waiting counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain import PairingStatus, RoundStatus
from bot.services import profiles as profiles_service
from bot.services.workspaces import skills as catalog_skills
from bot.storage.models import Member, MemberSkill, Pairing, ProgramSettings, Round, as_utc
from matching import Member as MatchMember
from matching import Objective, PastPairing, Reason, Unmatched, UnmatchedCause, Weights

#: How many earlier rounds count when deciding who has been waiting.
WAITING_LOOKBACK = 6


def round_profiles(session: Session, team_id: str, period: str) -> tuple[list[MatchMember], dict[str, str]]:
    """Engine profiles for everyone in the workspace, with this round's free capacity.

    A member sitting this period out (the heads-up's "skip") takes part as paused.
    """
    names = {s.id: s.name for s in catalog_skills(session, team_id)}
    skills: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {"strength": {}, "goal": {}})
    for user, kind, skill, value in session.exec(
        select(MemberSkill.user_id, MemberSkill.kind, MemberSkill.skill_id, MemberSkill.value).where(
            MemberSkill.team_id == team_id
        )
    ):
        skills[user][kind][names[skill]] = value
    mentees_of: dict[str, int] = defaultdict(int)
    has_mentor: set[str] = set()
    for mentor, mentee in session.exec(
        select(Pairing.mentor_id, Pairing.mentee_id).where(
            Pairing.team_id == team_id, Pairing.status == PairingStatus.active
        )
    ):
        mentees_of[mentor] += 1
        has_mentor.add(mentee)
    columns: list[Any] = [
        *(Member.user_id, Member.name, Member.seniority, Member.timezone, Member.role, Member.team),
        *(Member.manager_id, Member.target_role, Member.mentor_capacity, Member.wants_mentor),
        *(Member.paused, Member.skip_period),
    ]
    members: Sequence[Any] = session.exec(  # rows of those columns, read by name below
        select(*columns).where(Member.team_id == team_id).order_by(col(Member.user_id))
    ).all()
    profiles = [
        MatchMember(
            id=m.user_id,
            name=m.name or m.user_id,
            seniority=m.seniority,
            timezone=m.timezone,
            role=m.role,
            team=m.team,
            manager=m.manager_id,
            target_role=m.target_role,
            strengths=skills[m.user_id]["strength"],
            goals=skills[m.user_id]["goal"],
            mentor_capacity=max(0, m.mentor_capacity - mentees_of[m.user_id]),
            wants_mentor=m.wants_mentor and m.user_id not in has_mentor,
            paused=m.paused or m.skip_period == period,
        )
        for m in members
    ]
    return profiles, {m.user_id: m.name or m.user_id for m in members}


def history(session: Session, team_id: str, now: datetime) -> list[PastPairing]:
    rows = session.exec(
        select(Pairing.mentor_id, Pairing.mentee_id, Pairing.started_at).where(Pairing.team_id == team_id)
    )
    return [
        PastPairing(mentor, mentee, max(0.0, (now - as_utc(started)).days / 7))
        for mentor, mentee, started in rows
    ]


def waiting(session: Session, team_id: str) -> dict[str, int]:
    """Rounds in a row each member was left without a mentor, most recent first."""
    recent = session.exec(
        select(Round)
        .where(Round.team_id == team_id, Round.status == RoundStatus.done)
        .order_by(col(Round.created_at).desc())
        .limit(WAITING_LOOKBACK)
    ).all()
    waiting: dict[str, int] = {}
    still: set[str] | None = None
    for rnd in recent:
        left = set((rnd.stats or {}).get("unmatched", {}))
        still = left if still is None else still & left
        for member in still:
            waiting[member] = waiting.get(member, 0) + 1
    return waiting


@dataclass(frozen=True, slots=True)
class MatchInputs:
    """The workspace as the engine sees it this round; what every format's solve starts from."""

    profiles: list[MatchMember]
    names: dict[str, str]
    history: list[PastPairing]
    waiting: dict[str, int]
    weights: Weights
    maxcardinality: bool
    exclude: list[tuple[str, str]]  # members' "never pair me with" lists, both ways


def match_inputs(
    session: Session, team_id: str, settings: ProgramSettings, period: str, now: datetime
) -> MatchInputs:
    """Everything the engine needs about the workspace for the round of ``period``."""
    profiles, names = round_profiles(session, team_id, period)
    return MatchInputs(
        profiles,
        names,
        history(session, team_id, now),
        waiting(session, team_id),
        Weights(allow_same_team=settings.allow_same_team, rarity=settings.rarity),
        Objective(settings.objective).maxcardinality,
        profiles_service.avoided_pairs(session, team_id),
    )


def left_out(unmatched: Iterable[Unmatched]) -> tuple[dict[str, Reason], dict[str, str]]:
    """Who asked for a mentor and got none (paused members didn't ask): id -> reason, id -> cause.

    The reasons are written to the members; the causes are what round stats keep for the
    admins' figures (``reports``), as ``UnmatchedCause`` values.
    """
    asked = [u for u in unmatched if u.cause is not UnmatchedCause.paused]
    return {u.id: u.reason for u in asked}, {u.id: u.cause.value for u in asked}
