"""A workspace's first contact: its row, its skill catalog and its program settings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.catalog import default_catalog
from bot.i18n import _
from bot.storage.models import ProgramSettings, Skill, Workspace
from bot.storage.upsert import insert_ignore


def ensure_workspace(session: Session, team_id: str, now: datetime) -> None:
    """Create the workspace with the default catalog and settings, once.

    Idempotent and safe when two first requests race: every insert ignores rows
    that already exist.
    """
    if session.get(Workspace, team_id) is not None:
        return
    insert_ignore(session, Workspace, [{"team_id": team_id, "created_at": now}])
    insert_ignore(session, ProgramSettings, [{"team_id": team_id, "admins": []}])
    insert_ignore(
        session,
        Skill,
        [
            {
                "team_id": team_id,
                "id": s.id,
                "name": s.name,
                "category": s.category,
                "aliases": list(s.aliases),
            }
            for s in default_catalog().skills
        ],
    )


def catalog(session: Session, team_id: str, now: datetime) -> list[Skill]:
    """The workspace's skill catalog, seeding it first if this is the workspace's first request."""
    ensure_workspace(session, team_id, now)
    return skills(session, team_id)


def skills(session: Session, team_id: str) -> list[Skill]:
    return list(
        session.exec(select(Skill).where(Skill.team_id == team_id).order_by(Skill.category, Skill.name))
    )


def search_skills(session: Session, team_id: str, text: str, limit: int) -> list[Skill]:
    """Catalog skills whose name (also in the member's language), alias or id contains ``text``
    (any case): those that start with it first, then by name; at most ``limit``."""
    wanted = " ".join(text.split()).lower()
    found = []
    for skill in skills(session, team_id):
        words = _words(skill)
        if any(wanted in w for w in words):
            found.append((not any(w.startswith(wanted) for w in words), skill.name.lower(), skill))
    return [skill for *_, skill in sorted(found, key=lambda f: f[:2])][:limit]


def resolve_skill(session: Session, team_id: str, text: str, now: datetime) -> Skill | None:
    """The catalog entry a member means by ``text`` (id, name in English or in the member's
    language, or alias; any case)."""
    wanted = " ".join(text.split()).lower()
    for skill in catalog(session, team_id, now):
        if wanted in _words(skill):
            return skill
    return None


def _words(skill: Skill) -> list[str]:
    """What a member may type for a skill, lower-cased."""
    return [skill.id, skill.name.lower(), _(skill.name).lower(), *(a.lower() for a in skill.aliases)]
