"""Check-in answers and end-of-term feedback; "this isn't working" ends a pair early."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from bot.storage.db import transaction
from bot.storage.models import Feedback, Pairing

CHECKIN_ANSWERS = ("met", "not_yet", "not_working")


class NotYourPairing(LookupError):
    """The pairing doesn't exist in this workspace, or the member isn't part of it."""


def _pairing(session, team_id: str, pairing_id: int, user_id: str) -> Pairing:  # noqa: ANN001
    pairing = session.get(Pairing, pairing_id, with_for_update=True)
    if not _theirs(pairing, team_id, user_id):
        raise NotYourPairing(pairing_id)
    assert pairing is not None
    return pairing


def _theirs(pairing: Pairing | None, team_id: str, user_id: str) -> bool:
    """A pairing id from a button or a modal is only trusted if it is this member's, in this workspace."""
    return (
        pairing is not None
        and pairing.team_id == team_id
        and user_id in (pairing.mentor_id, pairing.mentee_id)
    )


def is_participant(engine: Engine, team_id: str, pairing_id: int, user_id: str) -> bool:
    with Session(engine) as session:
        return _theirs(session.get(Pairing, pairing_id), team_id, user_id)


def record_checkin(engine: Engine, team_id: str, pairing_id: int, user_id: str, answer: str) -> Pairing:
    """Store a check-in answer; "not_working" ends the pairing now and frees both."""
    if answer not in CHECKIN_ANSWERS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    with transaction(engine) as session:
        pairing = _pairing(session, team_id, pairing_id, user_id)
        session.add(
            Feedback(team_id=team_id, pairing_id=pairing_id, user_id=user_id, kind="checkin", answer=answer)
        )
        if answer == "not_working" and pairing.status == "active":
            pairing.status = "ended_early"
            session.add(pairing)
        return pairing


def record_feedback(
    engine: Engine, team_id: str, pairing_id: int, user_id: str, rating: int, comment: str
) -> None:
    if not 1 <= rating <= 5:
        raise ValueError("rating must be 1 to 5")
    with transaction(engine) as session:
        _pairing(session, team_id, pairing_id, user_id)
        session.add(
            Feedback(
                team_id=team_id,
                pairing_id=pairing_id,
                user_id=user_id,
                kind="end",
                rating=rating,
                comment=comment.strip()[:2000] or None,
            )
        )
