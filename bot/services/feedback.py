"""Check-in answers and end-of-term feedback, from a pairing's or a circle's members.

"This isn't working" ends a pair early; in a circle it takes that member out of it
(the circle goes on). Buttons and modals name what they are about with a
:class:`Subject` ("123" for pairing 123, "c7" for circle 7); nothing is trusted
until it is checked to be the member's own, in their workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.domain import FeedbackKind, PairingStatus
from bot.services import circles
from bot.storage.db import row_id
from bot.storage.models import Feedback, LearningCircle, Pairing

CHECKIN_ANSWERS = ("met", "not_yet", "not_working")


class NotYourPairing(LookupError):
    """The pairing or circle doesn't exist in this workspace, or the member isn't in it."""


@dataclass(frozen=True, slots=True)
class Subject:
    """What a check-in or a rating is about: a pairing, or (``circle``) a learning circle."""

    id: int
    circle: bool = False

    @classmethod
    def parse(cls, value: object) -> Subject:
        """From a button value or a modal's metadata; anything else is nobody's."""
        text = str(value or "")
        number = row_id(text.removeprefix("c"))
        if not number:
            raise NotYourPairing(text)
        return cls(number, circle=text.startswith("c"))

    def __str__(self) -> str:
        return f"c{self.id}" if self.circle else str(self.id)

    @property
    def pairing_id(self) -> int | None:
        return None if self.circle else self.id

    @property
    def circle_id(self) -> int | None:
        return self.id if self.circle else None


def subject_row(
    session: Session, team_id: str, subject: Subject, user_id: str, lock: bool = False
) -> Pairing | LearningCircle:
    """The pairing or circle ``subject`` names, if ``user_id`` is in it (else NotYourPairing)."""
    row: Pairing | LearningCircle | None = (
        session.get(LearningCircle, subject.id, with_for_update=lock)
        if subject.circle
        else session.get(Pairing, subject.id, with_for_update=lock)
    )
    if row is None or row.team_id != team_id or user_id not in members_of(row):
        raise NotYourPairing(str(subject))
    return row


def members_of(row: Pairing | LearningCircle) -> list[str]:
    """Everyone in a pairing (mentor first) or a circle."""
    return row.members if isinstance(row, LearningCircle) else [row.mentor_id, row.mentee_id]


def is_participant(session: Session, team_id: str, subject: Subject, user_id: str) -> bool:
    try:
        subject_row(session, team_id, subject, user_id)
    except NotYourPairing:
        return False
    return True


def record_checkin(
    session: Session, team_id: str, subject: Subject, user_id: str, answer: str, now: datetime
) -> None:
    """Store a check-in answer; "not_working" ends a pairing now (freeing both), or takes the
    member out of their circle."""
    if answer not in CHECKIN_ANSWERS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    row = subject_row(session, team_id, subject, user_id, lock=True)
    session.add(
        Feedback(
            team_id=team_id,
            user_id=user_id,
            kind=FeedbackKind.checkin,
            answer=answer,
            created_at=now,
            pairing_id=subject.pairing_id,
            circle_id=subject.circle_id,
        )
    )
    if answer != "not_working":
        return
    if isinstance(row, LearningCircle):
        circles.leave(row, user_id)
        session.add(row)
    elif row.status == PairingStatus.active:
        row.status = PairingStatus.ended_early
        session.add(row)


def record_feedback(
    session: Session, team_id: str, subject: Subject, user_id: str, rating: int, comment: str, now: datetime
) -> None:
    if not 1 <= rating <= 5:
        raise ValueError("rating must be 1 to 5")
    subject_row(session, team_id, subject, user_id, lock=True)
    session.add(
        Feedback(
            team_id=team_id,
            user_id=user_id,
            kind=FeedbackKind.end,
            rating=rating,
            comment=comment.strip()[:2000] or None,
            created_at=now,
            pairing_id=subject.pairing_id,
            circle_id=subject.circle_id,
        )
    )
