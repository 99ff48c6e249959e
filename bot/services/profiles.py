"""A member's own data: their profile, pausing, finding people by skill, export and erasure.

Writes happen in one transaction each, so a profile is never stored half-way (the
member row and all their skills change together or not at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from bot.domain import PairingStatus, ProfileForm, RequestStatus, SkillKind
from bot.services.workspaces import catalog, resolve_skill
from bot.storage.models import (
    Avoid,
    Member,
    MemberSkill,
    MentorRequest,
    Pairing,
    Skill,
    as_utc,
)
from bot.storage.upsert import upsert
from matching.profile import MAX_LEVEL, MAX_PRIORITY, Seniority, check_timezone

STRENGTH, GOAL = SkillKind.strength, SkillKind.goal
MAX_TEXT = 500
MAX_PAUSE_WEEKS = 52
#: People one member may keep on their private "never pair me with" list.
MAX_AVOID = 20


class ProfileInvalid(ValueError):
    """Form values that cannot be stored; ``errors`` maps a field name to what to fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class PairingView:
    partner_id: str
    partner_name: str
    role: str  # "mentor" when the partner mentors this member
    started_at: datetime
    ends_at: datetime | None
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class RequestView:
    """A shortlist request waiting for an answer: the member asked ``other_id``, or was asked."""

    other_id: str
    asked_by_me: bool
    answer_by: datetime


@dataclass(frozen=True, slots=True)
class Profile:
    member: Member
    strengths: list[tuple[str, int]]  # (skill name, level), strongest first
    goals: list[tuple[str, int]]  # (skill name, priority), most wanted first
    pairings: list[PairingView]
    waiting: list[RequestView] = field(default_factory=list)


def validate(form: ProfileForm, known_skills: set[str]) -> ProfileForm:
    """Return the form if it can be stored, else raise :class:`ProfileInvalid`."""
    errors: dict[str, str] = {}
    try:
        Seniority.parse(form.seniority)
    except ValueError:
        errors["seniority"] = "Pick your seniority."
    for name, value in (("role", form.role), ("target_role", form.target_role), ("team", form.team)):
        if len(value) > 80:
            errors[name] = "Please keep this under 80 characters."
    if len(form.other_goals) > MAX_TEXT:
        errors["other_goals"] = f"Please keep this under {MAX_TEXT} characters."
    unknown = (set(form.strengths) | set(form.goals)) - known_skills
    if unknown:
        errors["strengths" if set(form.strengths) & unknown else "goals"] = (
            "Some skills are not in the catalog."
        )
    if any(not 1 <= v <= MAX_LEVEL for v in form.strengths.values()):
        errors["strengths"] = f"Levels go from 1 to {MAX_LEVEL}."
    if any(not 1 <= v <= MAX_PRIORITY for v in form.goals.values()):
        errors["goals"] = f"Priorities go from 1 to {MAX_PRIORITY}."
    if not 0 <= form.mentor_capacity <= 5:
        errors["mentor_capacity"] = "Choose between 0 and 5 mentees."
    if form.mentor_capacity > 0 and not form.strengths:
        errors["strengths"] = "To mentor, pick at least one skill you can teach."
    if form.wants_mentor and not form.goals:
        errors["goals"] = "To get a mentor, pick at least one thing you want to learn."
    if len(form.avoid) > MAX_AVOID or any(not 1 <= len(u) <= 32 for u in form.avoid):
        errors["avoid"] = f"Up to {MAX_AVOID} people."
    if errors:
        raise ProfileInvalid(errors)
    return form


def save(
    session: Session,
    team_id: str,
    user_id: str,
    form: ProfileForm,
    *,
    name: str,
    timezone: str,
    now: datetime,
) -> None:
    """Store a member's whole profile (member row and skills together) in the caller's transaction."""
    try:
        timezone = check_timezone(timezone)
    except ValueError:
        timezone = "UTC"
    validate(form, {s.id for s in catalog(session, team_id, now)})
    upsert(
        session,
        Member,
        {
            "team_id": team_id,
            "user_id": user_id,
            "name": name[:200],
            "timezone": timezone,
            "role": form.role,
            "seniority": Seniority.parse(form.seniority).label,
            "team": form.team.strip(),
            "target_role": form.target_role,
            "other_goals": form.other_goals.strip(),
            "mentor_capacity": form.mentor_capacity,
            "wants_mentor": form.wants_mentor,
            "open_to_contact": form.open_to_contact,
            "paused": False,
            "paused_until": None,
            "created_at": now,
            "updated_at": now,
        },
        keys=("team_id", "user_id"),
    )
    session.exec(
        delete(MemberSkill).where(col(MemberSkill.team_id) == team_id, col(MemberSkill.user_id) == user_id)
    )
    session.exec(delete(Avoid).where(col(Avoid.team_id) == team_id, col(Avoid.user_id) == user_id))
    session.add_all(
        Avoid(team_id=team_id, user_id=user_id, other_id=other)
        for other in sorted(set(form.avoid) - {user_id})
    )
    session.add_all(
        [
            MemberSkill(team_id=team_id, user_id=user_id, kind=STRENGTH, skill_id=s, value=v)
            for s, v in form.strengths.items()
        ]
        + [
            MemberSkill(team_id=team_id, user_id=user_id, kind=GOAL, skill_id=s, value=v)
            for s, v in form.goals.items()
        ]
    )


def load(session: Session, team_id: str, user_id: str) -> Profile | None:
    member = session.get(Member, (team_id, user_id))
    if member is None:
        return None
    rows = session.exec(
        select(MemberSkill, Skill)
        .join(
            Skill,
            (col(Skill.team_id) == col(MemberSkill.team_id)) & (col(Skill.id) == col(MemberSkill.skill_id)),
        )
        .where(MemberSkill.team_id == team_id, MemberSkill.user_id == user_id)
    ).all()
    strengths = sorted(
        ((s.name, ms.value) for ms, s in rows if ms.kind == STRENGTH), key=lambda x: (-x[1], x[0])
    )
    goals = sorted(((s.name, ms.value) for ms, s in rows if ms.kind == GOAL), key=lambda x: (-x[1], x[0]))
    waiting = [
        RequestView(
            r.mentor_id if r.mentee_id == user_id else r.mentee_id,
            r.mentee_id == user_id,
            as_utc(r.expires_at),
        )
        for r in session.exec(
            select(MentorRequest).where(
                MentorRequest.team_id == team_id,
                MentorRequest.status == RequestStatus.pending,
                or_(col(MentorRequest.mentor_id) == user_id, col(MentorRequest.mentee_id) == user_id),
            )
        )
    ]
    return Profile(member, strengths, goals, active_pairings(session, team_id, user_id), waiting)


def skill_ids(session: Session, team_id: str, user_id: str) -> tuple[dict[str, int], dict[str, int]]:
    """(strengths, goals) as catalog id -> value, for pre-filling the profile modal."""
    rows = session.exec(
        select(MemberSkill).where(MemberSkill.team_id == team_id, MemberSkill.user_id == user_id)
    ).all()
    return (
        {r.skill_id: r.value for r in rows if r.kind == STRENGTH},
        {r.skill_id: r.value for r in rows if r.kind == GOAL},
    )


def avoid_list(session: Session, team_id: str, user_id: str) -> list[str]:
    """Who this member never wants to be paired with (for them alone: the modal, my-data)."""
    return list(
        session.exec(
            select(Avoid.other_id)
            .where(Avoid.team_id == team_id, Avoid.user_id == user_id)
            .order_by(Avoid.other_id)
        )
    )


def avoided_pairs(session: Session, team_id: str) -> list[tuple[str, str]]:
    """Every (mentor, mentee) pair the workspace's lists rule out: each entry, both ways round."""
    rows = session.exec(select(Avoid).where(Avoid.team_id == team_id)).all()
    return [pair for a in rows for pair in ((a.user_id, a.other_id), (a.other_id, a.user_id))]


def active_pairings(session: Session, team_id: str, user_id: str) -> list[PairingView]:
    rows = session.exec(
        select(Pairing).where(
            Pairing.team_id == team_id,
            Pairing.status == PairingStatus.active,
            or_(col(Pairing.mentor_id) == user_id, col(Pairing.mentee_id) == user_id),
        )
    ).all()
    views = []
    for p in rows:
        partner = p.mentee_id if p.mentor_id == user_id else p.mentor_id
        other = session.get(Member, (team_id, partner))
        views.append(
            PairingView(
                partner_id=partner,
                partner_name=other.name if other else partner,
                role="mentee" if p.mentor_id == user_id else "mentor",
                started_at=p.started_at,
                ends_at=p.ends_at,
                reasons=list(p.reasons),
            )
        )
    return views


class NoProfile(LookupError):
    """The member has not created a profile in this workspace yet."""


def pause(session: Session, team_id: str, user_id: str, weeks: int | None, now: datetime) -> Member:
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
    return member


def resume(session: Session, team_id: str, user_id: str, now: datetime) -> Member:
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    if member is None:
        raise NoProfile(user_id)
    member.paused = False
    member.paused_until = None
    if member.pause_reason:  # back after going quiet: earlier unanswered check-ins no longer count
        member.pause_reason, member.attention_since = None, now
    member.updated_at = now
    session.add(member)
    return member


@dataclass(frozen=True, slots=True)
class Found:
    skill: Skill | None
    people: list[tuple[Member, int]]  # (member, level), strongest first
    total: int = 0  # everyone who matched; ``people`` holds the first ``limit`` of them


def find(
    session: Session, team_id: str, skill_text: str, asking_user: str, now: datetime, limit: int = 20
) -> Found:
    """Members open to contact who list ``skill_text`` as a strength (not the asker)."""
    skill = resolve_skill(session, team_id, skill_text, now)
    if skill is None:
        return Found(None, [])
    matching = (
        select(Member, MemberSkill.value)
        .join(
            MemberSkill,
            (col(MemberSkill.team_id) == col(Member.team_id))
            & (col(MemberSkill.user_id) == col(Member.user_id)),
        )
        .where(
            Member.team_id == team_id,
            MemberSkill.kind == STRENGTH,
            MemberSkill.skill_id == skill.id,
            Member.open_to_contact,
            Member.user_id != asking_user,
        )
    )
    rows = session.exec(matching.order_by(col(MemberSkill.value).desc(), Member.name).limit(limit)).all()
    total = session.exec(select(func.count()).select_from(matching.subquery())).one()
    return Found(skill, [(m, v) for m, v in rows], total)
