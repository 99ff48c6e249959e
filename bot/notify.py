"""Queue this message for these people: the one place where what a service decided members
should hear (:class:`bot.domain.Notice`) is rendered (``bot.rendering``) and put in the outbox.

Services never render; they return notices. The entry point that owns the transaction queues
them in it, so a round's pairs and its intros commit together or not at all::

    with notify.unit_of_work(engine, now) as (session, notices):
        outcome = rounds.run_round(session, notices, team_id, now)
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot import i18n
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
from bot.rendering.blocks import Block, divider, message
from bot.rendering.help import plain_reply
from bot.services import profiles
from bot.storage.db import transaction


def render(content: NoticeContent, languages: Sequence[str] = (i18n.ENGLISH,)) -> dict[str, Any]:
    """The Slack message (text and blocks) for a notice's content, in each of these languages."""
    return in_languages(lambda: _render(content), languages)


def in_languages(build: Callable[[], dict[str, Any]], languages: Sequence[str]) -> dict[str, Any]:
    """The message ``build`` writes, in each of these languages: one after the other when its
    readers don't share one."""
    parts = []
    for language in languages:
        with i18n.speaking(language):
            parts.append(build())
    if len(parts) == 1:
        return parts[0]
    blocks: list[Block] = []
    for k, part in enumerate(parts):
        blocks += [divider()] if k else []
        blocks += [_renamed(block, k) for block in part["blocks"]]
    return message(blocks, "\n\n".join(part["text"] for part in parts))


def _renamed(block: Block, k: int) -> Block:
    """A block of the ``k``-th language's copy, whose ``block_id`` must differ from the first's."""
    return {**block, "block_id": f"{block['block_id']}~{k}"} if k and "block_id" in block else block


def _render(content: NoticeContent) -> dict[str, Any]:
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
        case Shortlist(offers, request_days, ended):
            return shortlist_messages.shortlist(list(offers), request_days, ended)
        case NobodyLeft(ended):
            return shortlist_messages.nobody_left(ended)
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
            return meeting.more_slots(by, first, round_messages.circle_title(), steps)
        case MeetingPicked(by, at):
            return meeting.meeting_picked(by, at)
        case Invitation(by):
            return member.invitation(by)
    raise TypeError(f"no rendering for {type(content).__name__}")


def queue(session: Session, now: datetime, notices: Iterable[Notice]) -> None:
    """Render the notices, each in its readers' languages, and queue them for delivery, in this
    order, in the caller's transaction."""
    for team_id, grouped in groupby(notices, key=lambda n: n.team_id):
        same_team = list(grouped)
        readers = {r for n in same_team for r in (*n.recipients, *n.readers)}
        spoken = profiles.languages(session, team_id, readers)
        outbox.queue_all(
            session,
            team_id,
            now,
            (
                outbox.Message(
                    n.key,
                    n.kind,
                    list(n.recipients),
                    render(n.content, readers_languages(n, spoken)),
                    n.channel,
                    n.send_after,
                )
                for n in same_team
            ),
        )


def readers_languages(notice: Notice, spoken: Mapping[str, str]) -> list[str]:
    """The languages a notice is written in: each of its readers', the mentee's first in an
    introduction, in English for people the bot doesn't know yet (and channels without readers)."""
    readers = list(notice.recipients or notice.readers)
    mentee = _mentee(notice.content)
    if mentee in readers:
        readers.remove(mentee)
        readers.insert(0, mentee)
    if notice.known_languages:  # a profile's choice still wins
        spoken = ChainMap(dict(spoken), dict(notice.known_languages))
    return languages_of(readers, spoken)


def languages_of(readers: Sequence[str], spoken: Mapping[str, str]) -> list[str]:
    """Each reader's language (``spoken``: from ``profiles.languages``), once, in their order;
    English for readers without a profile, and when there are none."""
    return list(dict.fromkeys(spoken.get(r, i18n.ENGLISH) for r in readers)) or [i18n.ENGLISH]


def _mentee(content: NoticeContent) -> str | None:
    match content:
        case Intro(pair) | MoreSlots(about=Intro(pair)):
            return pair.mentee_id
    return None


@contextmanager
def unit_of_work(engine: Engine, now: datetime) -> Iterator[tuple[Session, list[Notice]]]:
    """A transaction whose services may cause messages: they append notices to the list, which
    are rendered and queued at the end of the block, in the same transaction (none if it raises)."""
    with transaction(engine) as session:
        notices: list[Notice] = []
        yield session, notices
        queue(session, now, notices)
