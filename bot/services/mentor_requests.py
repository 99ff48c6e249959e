"""A mentee asks a mentor from their shortlist; the mentor accepts or declines; silence expires.

The rules that keep requests honest across everyone at once:

* one request at a time per mentee, and only from their latest list;
* a waiting request holds one of the mentor's free slots, so a mentor never has
  more requests waiting than room to accept them (the mentor's and mentee's
  member rows are locked while a request is made, so two mentees can't take the
  last slot together);
* declining or letting a request expire offers the mentee the next best mentors
  on their list who can still take them, and nobody learns why.

Every change happens in one transaction with the messages it causes (outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.domain import (
    AskedToMentor,
    EndedRequest,
    NobodyLeft,
    Notice,
    Offer,
    PairingStatus,
    ProposedPair,
    Refusal,
    RequestClosed,
    RequestStatus,
    Shortlist,
)
from bot.services import pairings
from bot.services.shortlists import blockers, free_slots, latest_round, offers
from bot.storage.models import (
    Member,
    MentorRequest,
    Pairing,
    ProgramSettings,
    ShortlistOption,
    as_utc,
    loaded_reasons,
)
from matching.reasons import reason


class RequestRefused(Refusal):
    """A request or an answer that can't be taken; the message says why, in the member's terms."""


@dataclass(frozen=True, slots=True)
class Asked:
    """A request made: the mentee's list to show again, now without buttons."""

    mentor_id: str
    answer_by: datetime
    offers: list[Offer]
    request_days: int


@dataclass(frozen=True, slots=True)
class Answer:
    """What became of a request the mentor answered (``already``: it had been closed before)."""

    status: str
    mentee_id: str
    already: bool = False


def ask(
    session: Session, notices: list[Notice], team_id: str, option_id: int, user_id: str, now: datetime
) -> Asked:
    """The mentee ``user_id`` asks for the mentor of their list entry ``option_id``."""
    option = session.get(ShortlistOption, option_id)
    if option is None or option.team_id != team_id or option.mentee_id != user_id:
        raise RequestRefused(reason("That mentor isn't on your list any more."))
    mentor_id = option.mentor_id
    _lock_members(session, team_id, user_id, mentor_id)
    settings = session.get(ProgramSettings, team_id)
    assert settings is not None
    if latest_round(session, team_id, user_id) != option.round_id:
        raise RequestRefused(reason("That list is from an earlier round: please use your latest one."))
    if _has_mentor(session, team_id, user_id):
        raise RequestRefused(reason("You have a mentor already: `/mentor status` shows your pairing."))
    waiting = _pending_of(session, team_id, user_id)
    if waiting is not None:
        already = f"<@{waiting.mentor_id}>"
        raise RequestRefused(
            reason(
                "You've asked {mentor} already, one request at a time. I'll tell you as soon as they answer.",
                mentor=already,
            )
        )
    refusal = {r.id: why for r, why in blockers(session, team_id, option.round_id, user_id)}[option.id]
    if refusal:
        raise RequestRefused(refusal)
    request = MentorRequest(
        team_id=team_id,
        option_id=option_id,
        round_id=option.round_id,
        mentee_id=user_id,
        mentor_id=mentor_id,
        created_at=now,
        expires_at=now + timedelta(days=settings.request_days),
    )
    session.add(request)
    session.flush()
    asked = AskedToMentor(
        request.id or 0,
        user_id,
        loaded_reasons(option.reasons),
        tuple(pairings.goal_names(session, team_id, user_id).get(user_id, ())),
        settings.term_weeks,
        request.expires_at,
    )
    notices.append(Notice(team_id, f"request:{request.id}", "request", (mentor_id,), asked))
    return Asked(
        mentor_id,
        request.expires_at,
        offers(session, team_id, option.round_id, user_id, False),
        settings.request_days,
    )


def answer(
    session: Session,
    notices: list[Notice],
    team_id: str,
    request_id: int,
    user_id: str,
    accept: bool,
    now: datetime,
) -> Answer:
    """The mentor ``user_id`` accepts (a pairing starts, both get the intro) or declines."""
    request = session.get(MentorRequest, request_id, with_for_update=True)
    if request is None or request.team_id != team_id or request.mentor_id != user_id:
        raise RequestRefused(reason("That request isn't one of yours (or it was withdrawn)."))
    settings = session.get(ProgramSettings, team_id)
    assert settings is not None
    if request.status == RequestStatus.pending and as_utc(request.expires_at) <= now:
        _close(
            session, notices, settings, request, RequestStatus.expired, now
        )  # the sweep hadn't got to it yet
        return Answer(RequestStatus.expired, request.mentee_id, already=True)
    if request.status != RequestStatus.pending:
        return Answer(request.status, request.mentee_id, already=True)
    if not accept:
        _close(session, notices, settings, request, RequestStatus.declined, now)
        return Answer(RequestStatus.declined, request.mentee_id)
    if _has_mentor(session, team_id, request.mentee_id):  # e.g. an admin paired them meanwhile
        request.status, request.answered_at = RequestStatus.withdrawn, now
        session.add(request)
        return Answer(RequestStatus.withdrawn, request.mentee_id, already=True)
    _start_pairing(session, notices, settings, request, now)
    return Answer(RequestStatus.accepted, request.mentee_id)


def due_requests(session: Session, now: datetime) -> list[int]:
    """Requests left unanswered past their time, in every workspace."""
    due = session.exec(
        select(MentorRequest.id).where(
            MentorRequest.status == RequestStatus.pending, MentorRequest.expires_at <= now
        )
    )
    return [request_id for request_id in due if request_id is not None]


def expire(session: Session, notices: list[Notice], request_id: int, now: datetime) -> bool:
    """Close a request left unanswered past its time (false: answered meanwhile); the mentee is
    offered their next best."""
    request = session.get(MentorRequest, request_id, with_for_update=True)
    if request is None or request.status != RequestStatus.pending:
        return False
    settings = session.get(ProgramSettings, request.team_id)
    assert settings is not None
    _close(session, notices, settings, request, RequestStatus.expired, now)
    return True


def _start_pairing(
    session: Session, notices: list[Notice], settings: ProgramSettings, request: MentorRequest, now: datetime
) -> None:
    team_id = settings.team_id
    mentor = session.get(Member, (team_id, request.mentor_id))
    assert mentor is not None
    # The request held one of the slots counted here, so this only fails if the mentor lowered
    # their capacity since; they can raise it again or decline.
    if free_slots(session, team_id, request.mentor_id) + 1 <= 0:
        raise RequestRefused(
            reason(
                "Your profile has no free mentoring places now. "
                "Raise your capacity with `/mentor profile` and accept again, or decline."
            )
        )
    option = session.get(ShortlistOption, request.option_id)
    mentee = session.get(Member, (team_id, request.mentee_id))
    pair = ProposedPair(
        request.mentor_id,
        request.mentee_id,
        mentor.name or mentor.user_id,
        (mentee.name if mentee else "") or request.mentee_id,
        option.score if option else 0.0,
        loaded_reasons(option.reasons) if option else (),
    )
    (made,) = pairings.store(session, team_id, settings, request.round_id, now, [pair], PairingStatus.active)
    pairings.announce(session, notices, team_id, settings, request.round_id, now, [(made, pair)], {})
    request.status, request.answered_at, request.pairing_id = RequestStatus.accepted, now, made
    session.add(request)


def _close(
    session: Session,
    notices: list[Notice],
    settings: ProgramSettings,
    request: MentorRequest,
    status: RequestStatus,
    now: datetime,
) -> None:
    """Declined or expired: the mentee hears only that, with who else can still take them."""
    request.status, request.answered_at = status, now
    session.add(request)
    session.flush()  # the next offers no longer count this request's slot
    ended = EndedRequest(request.mentor_id, status, settings.request_days)
    still = offers(session, settings.team_id, request.round_id, request.mentee_id, True)
    team_id = settings.team_id
    message = Shortlist(tuple(still), settings.request_days, ended) if still else NobodyLeft(ended)
    notices.append(Notice(team_id, f"next:{request.id}", "shortlist", (request.mentee_id,), message))
    if status == RequestStatus.expired:  # so the mentor's unanswered buttons don't look like they still count
        closed = RequestClosed(status, request.mentee_id)
        notices.append(Notice(team_id, f"expired:{request.id}", "request", (request.mentor_id,), closed))


def _lock_members(session: Session, team_id: str, *user_ids: str) -> None:
    """Row locks on the members a request touches, always in the same order (no deadlocks)."""
    for user_id in sorted(set(user_ids)):
        session.get(Member, (team_id, user_id), with_for_update=True)


def _has_mentor(session: Session, team_id: str, mentee_id: str) -> bool:
    return (
        session.exec(
            select(Pairing.id).where(
                Pairing.team_id == team_id,
                Pairing.mentee_id == mentee_id,
                Pairing.status == PairingStatus.active,
            )
        ).first()
        is not None
    )


def _pending_of(session: Session, team_id: str, mentee_id: str) -> MentorRequest | None:
    return session.exec(
        select(MentorRequest).where(
            MentorRequest.team_id == team_id,
            MentorRequest.mentee_id == mentee_id,
            MentorRequest.status == RequestStatus.pending,
        )
    ).first()
