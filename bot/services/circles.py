"""The "circles" format: each round groups members into peer learning circles instead of pairs.

Called by the round (``rounds.run_round``) in its transaction, with the round's
participants; stores the circles and queues one group DM per circle (each
member's strengths and goals, and a suggested rotation) and a note to anyone left
out. The grouping itself is :func:`matching.circles.form_circles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from bot.services import outbox
from bot.storage.models import LearningCircle, ProgramSettings
from bot.views import round_messages
from matching import Member as Profile
from matching import Weights
from matching.circles import form_circles


def store_circles(
    session: Session,
    settings: ProgramSettings,
    round_id: int,
    profiles: list[Profile],
    exclude: Iterable[tuple[str, str]],
    now: datetime,
) -> dict[str, object]:
    """Form, store and announce this round's circles; the round's stats."""
    taking_part = [p for p in profiles if not p.paused and (p.goals or p.strengths)]
    by_id = {p.id: p for p in taking_part}
    result = form_circles(
        taking_part, weights=Weights(allow_same_team=settings.allow_same_team), at=now, exclude=exclude
    )
    for circle in result.circles:
        row = LearningCircle(
            team_id=settings.team_id,
            round_id=round_id,
            members=list(circle.members),
            rotation=[list(step) for step in circle.rotation],
            score=circle.score,
        )
        session.add(row)
        session.flush()
        outbox.queue(
            session,
            settings.team_id,
            f"circle:{row.id}",
            "circle",
            list(circle.members),
            round_messages.circle_intro([by_id[m] for m in circle.members], circle.rotation),
            now,
        )
    for member_id in result.unplaced:
        outbox.queue(
            session,
            settings.team_id,
            f"unplaced:{round_id}:{member_id}",
            "unmatched",
            [member_id],
            round_messages.circle_unplaced(),
            now,
        )
    return {
        "format": "circles",
        "circles": len(result.circles),
        "placed": sum(len(c.members) for c in result.circles),
        "unplaced": list(result.unplaced),
    }
