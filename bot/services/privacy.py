"""What a member can ask about their own data: a copy of all of it (``/mentor my-data``) and
its erasure (``/mentor forget-me``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from bot.services import circles
from bot.services.profiles import avoid_list, load
from bot.storage.models import (
    AuditLog,
    Feedback,
    LearningCircle,
    Member,
    MentorRequest,
    Outbox,
    Pairing,
    ShortlistOption,
)

FORGOTTEN = "forgotten"


def forget(session: Session, team_id: str, user_id: str) -> bool:
    """Erase everything stored about a member; return whether there was anything.

    Their profile, skills, pairings (and the feedback on them, by cascade) and
    queued messages are deleted; audit entries they caused keep the action but
    lose their name.
    """
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    outbox = session.exec(select(Outbox).where(Outbox.team_id == team_id)).all()
    mine = [o for o in outbox if user_id in o.recipients]
    for row in mine:
        session.delete(row)
    session.exec(
        delete(Pairing).where(
            col(Pairing.team_id) == team_id,
            or_(col(Pairing.mentor_id) == user_id, col(Pairing.mentee_id) == user_id),
        )
    )
    session.exec(delete(Feedback).where(col(Feedback.team_id) == team_id, col(Feedback.user_id) == user_id))
    for table in (MentorRequest, ShortlistOption):  # requests first: they point at options
        session.exec(
            delete(table).where(
                col(table.team_id) == team_id,
                or_(col(table.mentor_id) == user_id, col(table.mentee_id) == user_id),
            )
        )
    for circle in _circles_of(session, team_id, user_id):  # the circle stays; they leave it
        circles.leave(circle, user_id)
        session.add(circle)
    for entry in session.exec(
        select(AuditLog).where(AuditLog.team_id == team_id, AuditLog.actor_id == user_id)
    ).all():
        entry.actor_id = FORGOTTEN
        session.add(entry)
    if member is not None:
        session.delete(member)
    return member is not None or bool(mine)


def export(session: Session, team_id: str, user_id: str) -> dict[str, Any]:
    """Everything stored about a member, as plain JSON-able data."""
    member = session.get(Member, (team_id, user_id))
    profile = load(session, team_id, user_id)
    pairings = session.exec(
        select(Pairing).where(
            col(Pairing.team_id) == team_id,
            or_(col(Pairing.mentor_id) == user_id, col(Pairing.mentee_id) == user_id),
        )
    ).all()
    feedback = session.exec(
        select(Feedback).where(Feedback.team_id == team_id, Feedback.user_id == user_id)
    ).all()
    messages = [
        o
        for o in session.exec(select(Outbox).where(Outbox.team_id == team_id)).all()
        if user_id in o.recipients
    ]
    audit = session.exec(
        select(AuditLog).where(AuditLog.team_id == team_id, AuditLog.actor_id == user_id)
    ).all()
    return {
        "profile": member.model_dump(mode="json") if member else None,
        "strengths": dict(profile.strengths) if profile else {},
        "goals": dict(profile.goals) if profile else {},
        "pairings": [p.model_dump(mode="json") for p in pairings],
        "feedback": [f.model_dump(mode="json") for f in feedback],
        "messages": [m.model_dump(mode="json", exclude={"payload"}) for m in messages],
        "admin_actions": [a.model_dump(mode="json") for a in audit],
        "never_pair_with": avoid_list(session, team_id, user_id),
        "circles": [c.model_dump(mode="json") for c in _circles_of(session, team_id, user_id)],
        "shortlist_options": [  # the mentors offered to them; being offered to others is theirs
            o.model_dump(mode="json")
            for o in session.exec(
                select(ShortlistOption).where(
                    ShortlistOption.team_id == team_id, ShortlistOption.mentee_id == user_id
                )
            )
        ],
        "mentor_requests": [
            r.model_dump(mode="json")
            for r in session.exec(
                select(MentorRequest).where(
                    MentorRequest.team_id == team_id,
                    or_(col(MentorRequest.mentor_id) == user_id, col(MentorRequest.mentee_id) == user_id),
                )
            )
        ],
    }


def _circles_of(session: Session, team_id: str, user_id: str) -> list[LearningCircle]:
    rows = session.exec(select(LearningCircle).where(LearningCircle.team_id == team_id)).all()
    return [c for c in rows if user_id in c.members]
