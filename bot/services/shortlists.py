"""The "shortlist" format: each round offers mentees a few mentors to choose from.

Called by the round (``rounds.run_round``) in its transaction. The options come
from :func:`matching.shortlists`, computed for everyone at once from the round's
optimal matching, so a mentor with one free slot is not offered to twenty
mentees. Slots already held by requests waiting for an answer are taken off
first, and mentees waiting for an answer get no new list. What happens after a
mentee asks is in :mod:`bot.services.mentor_requests`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.domain import Notice, Offer, PairingStatus, RequestStatus, Shortlist
from bot.services import pairings
from bot.services.match_inputs import MatchInputs, left_out
from bot.services.profiles import avoided_pairs
from bot.storage.models import (
    Member,
    MentorRequest,
    Pairing,
    ProgramSettings,
    ShortlistOption,
    loaded_reasons,
    stored_left_out,
    stored_reasons,
)
from matching import Reason, shortlists
from matching.reasons import reason


def store_shortlists(
    session: Session,
    notices: list[Notice],
    settings: ProgramSettings,
    round_id: int,
    given: MatchInputs,
    now: datetime,
) -> dict[str, Any]:
    """Compute, store and send this round's shortlists; the round's stats."""
    team_id = settings.team_id
    pending = session.exec(
        select(MentorRequest).where(
            MentorRequest.team_id == team_id, MentorRequest.status == RequestStatus.pending
        )
    ).all()
    held = Counter(r.mentor_id for r in pending)
    asking = {r.mentee_id for r in pending}
    profiles = [
        replace(
            p,
            mentor_capacity=max(0, p.mentor_capacity - held[p.id]),
            wants_mentor=p.wants_mentor and p.id not in asking,
        )
        for p in given.profiles
    ]
    result = shortlists(
        profiles,
        given.history,
        size=settings.shortlist_size,
        waiting=given.waiting,
        weights=given.weights,
        at=now,
        maxcardinality=given.maxcardinality,
        exclude=[*given.exclude, *_recently_turned_down(session, team_id, now - timedelta(weeks=4))],
    )
    for entry in result.shortlists:
        rows = [
            ShortlistOption(
                team_id=team_id,
                round_id=round_id,
                mentee_id=entry.mentee,
                mentor_id=pair.mentor,
                rank=rank,
                score=pair.score,
                reasons=stored_reasons(pair.reasons),
            )
            for rank, pair in enumerate(entry.options, start=1)
        ]
        session.add_all(rows)
        session.flush()
        options = Shortlist(tuple(_offers(rows, given.names)), settings.request_days)
        notices.append(
            Notice(team_id, f"shortlist:{round_id}:{entry.mentee}", "shortlist", (entry.mentee,), options)
        )
    unmatched, causes = left_out(result.unmatched)
    pairings.tell_unmatched(notices, team_id, round_id, unmatched)
    shortlisted = len(result.shortlists)
    return {
        "format": "shortlist",
        "pairs": 0,
        "shortlisted": shortlisted,
        "unmatched": stored_left_out(unmatched),
        "causes": causes,
    }


def _recently_turned_down(session: Session, team_id: str, since: datetime) -> list[tuple[str, str]]:
    """Pairs whose request was declined or went unanswered lately: not offered again so soon."""
    return [
        (r.mentor_id, r.mentee_id)
        for r in session.exec(
            select(MentorRequest).where(
                MentorRequest.team_id == team_id,
                col(MentorRequest.status).in_((RequestStatus.declined, RequestStatus.expired)),
                MentorRequest.created_at >= since,
            )
        )
    ]


def _offers(rows: list[ShortlistOption], names: dict[str, str]) -> list[Offer]:
    return [
        Offer(r.id or 0, r.rank, r.mentor_id, names.get(r.mentor_id, r.mentor_id), loaded_reasons(r.reasons))
        for r in sorted(rows, key=lambda r: r.rank)
    ]


def latest_round(session: Session, team_id: str, mentee_id: str) -> int | None:
    """The round of the mentee's current list (older lists can no longer be used)."""
    return session.exec(
        select(func.max(ShortlistOption.round_id)).where(
            ShortlistOption.team_id == team_id, ShortlistOption.mentee_id == mentee_id
        )
    ).one()


def free_slots(session: Session, team_id: str, mentor_id: str) -> int:
    """Places a mentor can still offer: capacity, minus active mentees, minus requests waiting."""
    member = session.get(Member, (team_id, mentor_id))
    if member is None:
        return 0
    active = session.exec(
        select(func.count()).where(
            Pairing.team_id == team_id, Pairing.mentor_id == mentor_id, Pairing.status == PairingStatus.active
        )
    ).one()
    waiting = session.exec(
        select(func.count()).where(
            MentorRequest.team_id == team_id,
            MentorRequest.mentor_id == mentor_id,
            MentorRequest.status == RequestStatus.pending,
        )
    ).one()
    return member.mentor_capacity - int(active) - int(waiting)


def offers(session: Session, team_id: str, round_id: int, mentee_id: str, open_only: bool) -> list[Offer]:
    """The mentee's list from ``round_id``; with ``open_only``, only the mentors they can still ask
    (see :func:`blockers`)."""
    rows = [r for r, why in blockers(session, team_id, round_id, mentee_id) if why is None or not open_only]
    mentors = {r.mentor_id: session.get(Member, (team_id, r.mentor_id)) for r in rows}  # loaded by blockers
    return _offers(rows, {k: m.name or k for k, m in mentors.items() if m is not None})


def blockers(
    session: Session, team_id: str, round_id: int, mentee_id: str
) -> list[tuple[ShortlistOption, Reason | None]]:
    """The mentee's list from ``round_id``, each option with why they can't ask its mentor now, in
    their words (None: they can). Asked already this round; away, gone or on either's "never pair"
    list (never said which); or every free slot spoken for."""
    rows = session.exec(
        select(ShortlistOption).where(
            ShortlistOption.team_id == team_id,
            ShortlistOption.round_id == round_id,
            ShortlistOption.mentee_id == mentee_id,
        )
    ).all()
    asked = set(
        session.exec(
            select(MentorRequest.mentor_id).where(
                MentorRequest.team_id == team_id,
                MentorRequest.round_id == round_id,
                MentorRequest.mentee_id == mentee_id,
            )
        ).all()
    )
    avoided = set(avoided_pairs(session, team_id))

    def why(option: ShortlistOption) -> Reason | None:
        who = f"<@{option.mentor_id}>"
        mentor = session.get(Member, (team_id, option.mentor_id))
        if option.mentor_id in asked:
            return reason(
                "You asked {mentor} this round already; please pick someone else on your list.", mentor=who
            )
        if mentor is None or mentor.paused or (option.mentor_id, mentee_id) in avoided:
            return reason(
                "{mentor} isn't available to you this round; please pick someone else on your list.",
                mentor=who,
            )
        if free_slots(session, team_id, option.mentor_id) <= 0:
            return reason(
                "{mentor}'s free places are all spoken for right now; please pick someone else on your list.",
                mentor=who,
            )
        return None

    return [(r, why(r)) for r in rows]
