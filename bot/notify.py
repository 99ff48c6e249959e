"""Queue this message for these people: the one place where what a service decided members
should hear (:class:`bot.domain.Notice`) is rendered (``bot.rendering``) and put in the outbox.

Services never render; they return notices. The entry point that owns the transaction queues
them in it, so a round's pairs and its intros commit together or not at all::

    with notify.unit_of_work(engine, now) as (session, notices):
        outcome = rounds.run_round(session, notices, team_id, now)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.delivery import outbox
from bot.domain import (
    AskedToMentor,
    CheckIn,
    CircleIntro,
    CircleUnplaced,
    FeedbackPrompt,
    Intro,
    Invitation,
    LeftOut,
    MeetingPicked,
    MoreSlots,
    NobodyLeft,
    NoShow,
    Notice,
    NoticeContent,
    RequestClosed,
    ReviewRequest,
    RoundComing,
    Shortlist,
)
from bot.rendering import meeting, member, review_messages, round_messages, shortlist_messages
from bot.rendering.help import plain_reply
from bot.storage.db import transaction


def render(content: NoticeContent) -> dict[str, Any]:
    """The Slack message (text and blocks) for a notice's content."""
    match content:
        case Intro(pair, goals, term_weeks, first):
            return round_messages.intro(pair, list(goals), term_weeks, first)
        case CheckIn(subject, circle):
            return round_messages.checkin(subject, circle=circle)
        case LeftOut(reason):
            return round_messages.unmatched(reason)
        case FeedbackPrompt(subject, partner_id):
            return round_messages.feedback_prompt(subject, partner_id)
        case RoundComing(period, at, free_slots, wants_mentor):
            return round_messages.heads_up(period, at, free_slots, wants_mentor)
        case NoShow(unanswered):
            return round_messages.no_show(unanswered)
        case CircleIntro(members, rotation, first):
            return round_messages.circle_intro(list(members), rotation, first)
        case CircleUnplaced():
            return round_messages.circle_unplaced()
        case Shortlist(offers, request_days, note):
            return shortlist_messages.shortlist(list(offers), request_days, note)
        case NobodyLeft(note):
            return shortlist_messages.nobody_left(note)
        case AskedToMentor(request_id, mentee_id, reasons, goals, term_weeks, answer_by):
            return shortlist_messages.mentor_request(
                request_id, mentee_id, reasons, list(goals), term_weeks, answer_by
            )
        case RequestClosed(status, mentee_id):
            return plain_reply(shortlist_messages.answered(status, mentee_id, already=True))
        case ReviewRequest(round_id, rows, unmatched, expires, expiry):
            return review_messages.review(round_id, list(rows), unmatched, expires, expiry)
        case MoreSlots(by, first, Intro(pair, goals, term_weeks)):
            steps = round_messages.agenda(pair, list(goals), term_weeks)
            return meeting.more_slots(by, first, round_messages.pair_title(pair), steps)
        case MoreSlots(by, first, CircleIntro(members, rotation)):
            steps = round_messages.circle_agenda(list(members), rotation)
            return meeting.more_slots(by, first, round_messages.CIRCLE_TITLE, steps)
        case MeetingPicked(by, at):
            return meeting.meeting_picked(by, at)
        case Invitation(by):
            return member.invitation(by)
    raise TypeError(f"no rendering for {type(content).__name__}")


def queue(session: Session, now: datetime, notices: Iterable[Notice]) -> None:
    """Render the notices and queue them for delivery, in this order, in the caller's transaction."""
    for team_id, same_team in groupby(notices, key=lambda n: n.team_id):
        outbox.queue_all(
            session,
            team_id,
            now,
            (
                outbox.Message(n.key, n.kind, list(n.recipients), render(n.content), n.channel, n.send_after)
                for n in same_team
            ),
        )


@contextmanager
def unit_of_work(engine: Engine, now: datetime) -> Iterator[tuple[Session, list[Notice]]]:
    """A transaction whose services may cause messages: they append notices to the list, which
    are rendered and queued at the end of the block, in the same transaction (none if it raises)."""
    with transaction(engine) as session:
        notices: list[Notice] = []
        yield session, notices
        queue(session, now, notices)
