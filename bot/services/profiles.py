"""A member's profile: stored from the modal's form, shown back to them, found by skill.

A save writes the member row and all their skills in the caller's one transaction, so a
profile is never stored half-way. Taking part (pause, resume, heads-ups) is in
``participation``; export and erasure in ``privacy``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from bot.domain import (
    CurrentPairing,
    Expert,
    FoundPeople,
    MemberProfile,
    PairingStatus,
    ProfileForm,
    RequestStatus,
    SkillKind,
    WaitingRequest,
)
from bot.i18n import LANGUAGES, member_language
from bot.services.workspaces import catalog, resolve_skill
from bot.storage.models import (
    Avoid,
    Member,
    MemberSkill,
    MentorRequest,
    Pairing,
    Skill,
    as_utc,
    loaded_reasons,
)
from bot.storage.upsert import upsert
from matching import Reason
from matching.profile import MAX_LEVEL, MAX_PRIORITY, Seniority, check_timezone
from matching.reasons import reason

STRENGTH, GOAL = SkillKind.strength, SkillKind.goal
MAX_TEXT = 500
#: People one member may keep on their private "never pair me with" list.
MAX_AVOID = 20


class ProfileInvalid(ValueError):
    """Form values that cannot be stored; ``errors`` maps a field name to what to fix."""

    def __init__(self, errors: dict[str, Reason]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def validate(form: ProfileForm, known_skills: set[str]) -> ProfileForm:
    """Return the form if it can be stored, else raise :class:`ProfileInvalid`."""
    errors: dict[str, Reason] = {}
    try:
        Seniority.parse(form.seniority)
    except ValueError:
        errors["seniority"] = reason("Pick your seniority.")
    for name, value in (("role", form.role), ("target_role", form.target_role), ("team", form.team)):
        if len(value) > 80:
            errors[name] = reason("Please keep this under {count} characters.", count=80)
    if len(form.other_goals) > MAX_TEXT:
        errors["other_goals"] = reason("Please keep this under {count} characters.", count=MAX_TEXT)
    unknown = (set(form.strengths) | set(form.goals)) - known_skills
    if unknown:
        errors["strengths" if set(form.strengths) & unknown else "goals"] = reason(
            "Some skills are not in the catalog."
        )
    if any(not 1 <= v <= MAX_LEVEL for v in form.strengths.values()):
        errors["strengths"] = reason("Levels go from 1 to {most}.", most=MAX_LEVEL)
    if any(not 1 <= v <= MAX_PRIORITY for v in form.goals.values()):
        errors["goals"] = reason("Priorities go from 1 to {most}.", most=MAX_PRIORITY)
    if not 0 <= form.mentor_capacity <= 5:
        errors["mentor_capacity"] = reason("Choose between 0 and 5 mentees.")
    if form.mentor_capacity > 0 and not form.strengths:
        errors["strengths"] = reason("To mentor, pick at least one skill you can teach.")
    if form.wants_mentor and not form.goals:
        errors["goals"] = reason("To get a mentor, pick at least one thing you want to learn.")
    if len(form.avoid) > MAX_AVOID or any(not 1 <= len(u) <= 32 for u in form.avoid):
        errors["avoid"] = reason("Up to {most} people.", most=MAX_AVOID)
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
    slack_locale: str = "",
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
            "slack_locale": slack_locale[:16],
            "language": form.language if form.language in LANGUAGES else "",
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


#: Members looked up per query (SQLite's bound-parameter limit is far above this).
LOOKUP_CHUNK = 500


def languages(session: Session, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
    """The language each of these members reads (see ``bot.i18n.member_language``); people
    who have no profile yet are left out."""
    wanted = sorted(set(user_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = session.exec(
            select(Member.user_id, Member.language, Member.slack_locale).where(
                Member.team_id == team_id, col(Member.user_id).in_(wanted[start : start + LOOKUP_CHUNK])
            )
        )
        found.update((user, member_language(chosen, locale)) for user, chosen, locale in rows)
    return found


def load(session: Session, team_id: str, user_id: str) -> MemberProfile | None:
    """The member's profile as the bot shows it back to them; None before they create one."""
    member = session.get(Member, (team_id, user_id))
    if member is None:
        return None
    rows = session.exec(
        select(MemberSkill.kind, MemberSkill.value, Skill.name)
        .join(
            Skill,
            (col(Skill.team_id) == col(MemberSkill.team_id)) & (col(Skill.id) == col(MemberSkill.skill_id)),
        )
        .where(MemberSkill.team_id == team_id, MemberSkill.user_id == user_id)
    ).all()

    def ranked(kind: SkillKind) -> tuple[tuple[str, int], ...]:
        return tuple(
            sorted(((name, value) for k, value, name in rows if k == kind), key=lambda x: (-x[1], x[0]))
        )

    waiting = tuple(
        WaitingRequest(
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
    )
    return MemberProfile(
        user_id=member.user_id,
        name=member.name,
        role=member.role,
        seniority=member.seniority,
        team=member.team,
        target_role=member.target_role,
        other_goals=member.other_goals,
        mentor_capacity=member.mentor_capacity,
        wants_mentor=member.wants_mentor,
        open_to_contact=member.open_to_contact,
        paused=member.paused,
        paused_until=as_utc(member.paused_until) if member.paused_until else None,
        strengths=ranked(STRENGTH),
        goals=ranked(GOAL),
        pairings=tuple(active_pairings(session, team_id, user_id)),
        waiting=waiting,
    )


def current_form(session: Session, team_id: str, user_id: str) -> ProfileForm | None:
    """The member's profile as the form that would store it again (the modal starts from it)."""
    member = session.get(Member, (team_id, user_id))
    if member is None:
        return None
    strengths, goals = skill_ids(session, team_id, user_id)
    return ProfileForm(
        role=member.role,
        seniority=member.seniority,
        target_role=member.target_role,
        team=member.team,
        strengths=strengths,
        goals=goals,
        other_goals=member.other_goals,
        mentor_capacity=member.mentor_capacity,
        wants_mentor=member.wants_mentor,
        open_to_contact=member.open_to_contact,
        avoid=tuple(avoid_list(session, team_id, user_id)),
        language=member.language,
    )


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


def active_pairings(session: Session, team_id: str, user_id: str) -> list[CurrentPairing]:
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
            CurrentPairing(
                partner_id=partner,
                partner_name=other.name if other else partner,
                role="mentee" if p.mentor_id == user_id else "mentor",
                started_at=as_utc(p.started_at),
                ends_at=as_utc(p.ends_at) if p.ends_at else None,
                reasons=loaded_reasons(p.reasons),
            )
        )
    return views


class NoProfile(LookupError):
    """The member has not created a profile in this workspace yet."""


def find(
    session: Session, team_id: str, skill_text: str, asking_user: str, now: datetime, limit: int = 20
) -> FoundPeople:
    """Members open to contact who list ``skill_text`` as a strength (not the asker)."""
    skill = resolve_skill(session, team_id, skill_text, now)
    if skill is None:
        return FoundPeople(None)
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
    return FoundPeople(skill.name, tuple(Expert(m.user_id, m.role, v) for m, v in rows), total)
