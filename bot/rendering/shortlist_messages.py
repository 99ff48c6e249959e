"""The shortlist format's messages: a mentee's options, a mentor's request, and what happened next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Offer, RequestStatus
from bot.rendering.blocks import (
    Block,
    actions,
    button,
    context,
    escape,
    escaped,
    header,
    message,
    section,
    slack_date,
)

#: Each option's button is ``ASK_PREFIX`` + its rank (action ids must differ within a message).
ASK_PREFIX = "shortlist_ask_"
REQUEST_ACCEPT, REQUEST_DECLINE = "request_accept", "request_decline"
#: Reasons shown per option: enough to choose, short enough for a list of five.
REASONS_SHOWN = 3


def shortlist(
    offers: list[Offer],
    request_days: int,
    note: str = "",
    asked: tuple[str, datetime] | None = None,
) -> dict[str, Any]:
    """A mentee's options, best first, with an Ask button each; ``asked`` (mentor, answer-by) once
    they have asked, which takes the buttons away (one request at a time)."""
    blocks: list[Block] = [header("Choose your mentor")]
    if note:
        blocks.append(section(note))
    blocks.append(
        section(
            "These mentors suit what you want to learn and have room for you this round. "
            f"Ask the one you'd like: they answer with one click, and if they can't or don't answer "
            f"within {request_days} day{'s' if request_days != 1 else ''}, I'll offer you the next one."
        )
    )
    for offer in offers:
        label = f"*{offer.rank}. <@{offer.mentor_id}>*" + (" (your best fit)" if offer.rank == 1 else "")
        why = "\n".join(f"• {escape(r)}" for r in offer.reasons[:REASONS_SHOWN])
        extra = (
            {}
            if asked
            else {
                "accessory": button(
                    f"Ask {offer.mentor_name}", f"{ASK_PREFIX}{offer.rank}", str(offer.option_id), "primary"
                )
            }
        )
        blocks.append(section(f"{label}\n{why}", **extra))
    if asked:
        mentor, until = asked
        blocks.append(
            context(
                f"You asked <@{mentor}>. They have until {slack_date(until)} to answer; I'll let you know."
            )
        )
    return message(blocks, "Choose your mentor from your shortlist")


def nobody_left(note: str) -> dict[str, Any]:
    text = (
        f"{note} Nobody else on your list has room right now, so you'll have priority in the next "
        "round's shortlist."
    )
    return message([section(text)], text)


def mentor_request(
    request_id: int,
    mentee_id: str,
    reasons: tuple[str, ...],
    goals: list[str],
    term_weeks: int,
    answer_by: datetime,
) -> dict[str, Any]:
    """The mentor's one-click Accept / Decline."""
    why = "\n".join(f"• {escape(r)}" for r in reasons[:REASONS_SHOWN])
    value = str(request_id)
    return message(
        [
            section(f"<@{mentee_id}> would like you as their mentor for the next {term_weeks} weeks."),
            section(f"*Why you two*\n{why}"),
            section(f"*They want to learn:* {escaped(goals) or 'see their profile'}"),
            actions(
                button("Accept", REQUEST_ACCEPT, value, "primary"),
                button("Decline", REQUEST_DECLINE, value),
                block_id="mentor_request",
            ),
            context(
                f"Please answer by {slack_date(answer_by)}; after that I'll offer them their next option. "
                "Declining is fine: they only hear that you can't take it on right now."
            ),
        ],
        "A mentee would like you as their mentor",
    )


def answered(status: str, mentee_id: str, already: bool) -> str:
    """What the mentor sees in place of their Accept / Decline buttons."""
    if not already:
        if status == RequestStatus.accepted:
            return f"You accepted <@{mentee_id}>. I've introduced you two in a DM, with a first-meeting plan."
        return (
            f"You declined <@{mentee_id}>. Thanks for answering quickly: I've offered them their next option."
        )
    if status == RequestStatus.expired:
        return (
            f"This request has expired and <@{mentee_id}> has been offered their next option. Thanks anyway!"
        )
    if status == RequestStatus.withdrawn:
        return f"<@{mentee_id}> has a mentor already, so this request is closed. Thanks anyway!"
    return f"You've already {status} this request."
