"""Whom to ask to mentor a skill the program lacks: members strong in it who mentor no one yet."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from bot.domain import SkillKind
from bot.services.workspaces import skills
from bot.storage.models import Member, MemberSkill

#: A strength at this level or above is worth asking about.
STRONG = 4
PER_SKILL = 5


def candidates(session: Session, team_id: str, skill_names: list[str]) -> dict[str, list[str]]:
    """Per skill name: up to ``PER_SKILL`` names of active members strong in it (level 4-5)
    who offer no mentoring places, strongest first."""
    ids = {s.name: s.id for s in skills(session, team_id) if s.name in skill_names}
    if not ids:
        return {}
    by_id = {v: k for k, v in ids.items()}
    rows = session.exec(
        select(MemberSkill.skill_id, MemberSkill.value, Member.name, Member.user_id)
        .join(
            Member,
            (col(Member.team_id) == col(MemberSkill.team_id))
            & (col(Member.user_id) == col(MemberSkill.user_id)),
        )
        .where(
            MemberSkill.team_id == team_id,
            MemberSkill.kind == SkillKind.strength,
            col(MemberSkill.skill_id).in_(list(ids.values())),
            MemberSkill.value >= STRONG,
            Member.mentor_capacity == 0,
            ~col(Member.paused),
        )
        .order_by(col(MemberSkill.value).desc(), Member.name)
    ).all()
    found: dict[str, list[str]] = defaultdict(list)
    for skill_id, _, name, user_id in rows:
        if len(found[by_id[skill_id]]) < PER_SKILL:
            found[by_id[skill_id]].append(name or user_id)
    return dict(found)
