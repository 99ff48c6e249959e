"""The "circles" format: each round groups members into peer learning circles instead of pairs.

Called by the round (``rounds.run_round``) in its transaction, with the round's
participants; stores the circles and queues one group DM per circle (each
member's strengths and goals, and a suggested rotation), a check-in to each member
a few days later, and a note to anyone left out. A circle lasts the program's term
(then each member is asked for a rating, see ``rounds``); its members aren't
regrouped until it ends. The grouping itself is :func:`matching.circles.form_circles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.domain import CheckIn, CircleIntro, CircleStatus, CircleUnplaced, Notice
from bot.services.slots import first_meeting
from bot.storage.models import LearningCircle, ProgramSettings
from matching import Member as MatchMember
from matching import Weights
from matching.circles import form_circles


def leave(circle: LearningCircle, user_id: str) -> None:
    """Take a member out of a circle (they left it, or forgot themselves); the others go on."""
    circle.members = [m for m in circle.members if m != user_id]
    circle.rotation = [step for step in circle.rotation if step[0] != user_id]


def store_circles(
    session: Session,
    notices: list[Notice],
    settings: ProgramSettings,
    round_id: int,
    profiles: list[MatchMember],
    exclude: Iterable[tuple[str, str]],
    now: datetime,
) -> dict[str, object]:
    """Form, store and announce this round's circles; the round's stats."""
    busy = {
        m
        for c in session.exec(
            select(LearningCircle).where(
                LearningCircle.team_id == settings.team_id, LearningCircle.status == CircleStatus.active
            )
        )
        for m in c.members
    }
    taking_part = [p for p in profiles if not p.paused and p.id not in busy and (p.goals or p.strengths)]
    by_id = {p.id: p for p in taking_part}
    result = form_circles(
        taking_part, weights=Weights(allow_same_team=settings.allow_same_team), at=now, exclude=exclude
    )
    checkin_at = now + timedelta(days=settings.checkin_days)
    for circle in result.circles:
        row = LearningCircle(
            team_id=settings.team_id,
            round_id=round_id,
            members=list(circle.members),
            rotation=[list(step) for step in circle.rotation],
            score=circle.score,
            ends_at=now + timedelta(weeks=settings.term_weeks),
            created_at=now,
        )
        session.add(row)
        session.flush()
        members = tuple(circle.members)
        first = first_meeting(f"c{row.id}", (by_id[m].timezone for m in members), now)
        row.slots = [int(at.timestamp()) for at in first.slots]
        session.add(row)
        intro = CircleIntro(tuple(by_id[m] for m in members), circle.rotation, first)
        notices.append(Notice(settings.team_id, f"circle:{row.id}", "circle", members, intro))
        checkin = CheckIn(f"c{row.id}", circle=True)
        notices.extend(  # one each: a member may leave without telling the group
            Notice(
                settings.team_id,
                f"checkin:c{row.id}:{m}",
                "circle_checkin",
                (m,),
                checkin,
                send_after=checkin_at,
            )
            for m in members
        )
    notices.extend(
        Notice(settings.team_id, f"unplaced:{round_id}:{m}", "unmatched", (m,), CircleUnplaced())
        for m in result.unplaced
    )
    return {
        "format": "circles",
        "circles": len(result.circles),
        "placed": sum(len(c.members) for c in result.circles),
        "unplaced": list(result.unplaced),
    }
