"""The bot's own vocabulary: the states and kinds its records move through.

Plain ``StrEnum``s, importing nothing of ``bot``: a member compares and stores as its
string (the tables keep plain text columns), so ``PairingStatus.active == "active"``.
The matcher's vocabulary (objective, unmatched causes) lives in ``matching``.
"""

from __future__ import annotations

from enum import StrEnum


class RoundFormat(StrEnum):
    """What a program's weekly round makes (``ProgramSettings.format``, ``Round.format``)."""

    pairs = "pairs"
    shortlist = "shortlist"
    circles = "circles"


class RoundStatus(StrEnum):
    running = "running"  # claimed by a worker, not yet committed
    pending = "pending"  # held for the admins' review
    done = "done"
    dropped = "dropped"  # an admin dropped the held proposal


class PairingStatus(StrEnum):
    proposed = "proposed"  # in a round held for review; members know nothing yet
    active = "active"
    ended = "ended"  # its term ran out
    ended_early = "ended_early"  # a member said it isn't working


class CircleStatus(StrEnum):
    active = "active"
    ended = "ended"


class RequestStatus(StrEnum):
    """A mentee's request to a mentor on their shortlist."""

    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    withdrawn = "withdrawn"  # the mentee was paired meanwhile


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"  # claimed by a delivery worker
    sent = "sent"
    failed = "failed"


class FeedbackKind(StrEnum):
    checkin = "checkin"  # a few days in: have you met?
    end = "end"  # the end-of-term rating


class SkillKind(StrEnum):
    strength = "strength"
    goal = "goal"
