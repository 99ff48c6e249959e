"""The shortlist format's messages: a mentee's options, a mentor's request, and what happened next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import EndedRequest, Offer, RequestStatus
from bot.i18n import _, ngettext
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
from bot.rendering.terms import reason_text, terms
from matching import Reason

#: Each option's button is ``ASK_PREFIX`` + its rank (action ids must differ within a message).
ASK_PREFIX = "shortlist_ask_"
REQUEST_ACCEPT, REQUEST_DECLINE = "request_accept", "request_decline"
#: Reasons shown per option: enough to choose, short enough for a list of five.
REASONS_SHOWN = 3


def shortlist(
    offers: list[Offer],
    request_days: int,
    ended: EndedRequest | None = None,
    asked: tuple[str, datetime] | None = None,
) -> dict[str, Any]:
    """A mentee's options, best first, with an Ask button each (after the request that ``ended``,
    when it is sent again); ``asked`` (mentor, answer-by) once they have asked, which takes the
    buttons away (one request at a time)."""
    blocks: list[Block] = [header(_("Choose your mentor"))]
    if ended:
        blocks.append(section(_ended(ended) + " " + _("Here is who else can take you:")))
    blocks.append(
        section(
            ngettext(
                "These mentors suit what you want to learn and have room for you this round. "
                "Ask the one you'd like: they answer with one click, and if they can't or don't answer "
                "within {count} day, I'll offer you the next one.",
                "These mentors suit what you want to learn and have room for you this round. "
                "Ask the one you'd like: they answer with one click, and if they can't or don't answer "
                "within {count} days, I'll offer you the next one.",
                request_days,
            ).format(count=request_days)
        )
    )
    for offer in offers:
        label = f"*{offer.rank}. <@{offer.mentor_id}>*" + (
            " " + _("(your best fit)") if offer.rank == 1 else ""
        )
        why = "\n".join(f"• {escape(reason_text(r))}" for r in offer.reasons[:REASONS_SHOWN])
        extra = (
            {}
            if asked
            else {
                "accessory": button(
                    _("Ask {mentor}").format(mentor=offer.mentor_name),
                    f"{ASK_PREFIX}{offer.rank}",
                    str(offer.option_id),
                    "primary",
                )
            }
        )
        blocks.append(section(f"{label}\n{why}", **extra))
    if asked:
        mentor, until = asked
        blocks.append(
            context(
                _("You asked {mentor}. They have until {when} to answer; I'll let you know.").format(
                    mentor=f"<@{mentor}>", when=slack_date(until)
                )
            )
        )
    return message(blocks, _("Choose your mentor from your shortlist"))


def _ended(ended: EndedRequest) -> str:
    mentor = f"<@{ended.mentor_id}>"
    if ended.status == RequestStatus.declined:
        return _("{mentor} can't take on a mentee right now.").format(mentor=mentor)
    return ngettext(
        "{mentor} didn't answer within {count} day, so I've withdrawn your request.",
        "{mentor} didn't answer within {count} days, so I've withdrawn your request.",
        ended.request_days,
    ).format(mentor=mentor, count=ended.request_days)


def nobody_left(ended: EndedRequest) -> dict[str, Any]:
    text = (
        _ended(ended)
        + " "
        + _(
            "Nobody else on your list has room right now, "
            "so you'll have priority in the next round's shortlist."
        )
    )
    return message([section(text)], text)


def mentor_request(
    request_id: int,
    mentee_id: str,
    reasons: tuple[Reason, ...],
    goals: list[str],
    term_weeks: int,
    answer_by: datetime,
) -> dict[str, Any]:
    """The mentor's one-click Accept / Decline."""
    why = "\n".join(f"• {escape(reason_text(r))}" for r in reasons[:REASONS_SHOWN])
    value = str(request_id)
    return message(
        [
            section(
                _("{mentee} would like you as their mentor for the next {weeks} weeks.").format(
                    mentee=f"<@{mentee_id}>", weeks=term_weeks
                )
            ),
            section(_("*Why you two*") + f"\n{why}"),
            section(
                _("*They want to learn:* {goals}").format(
                    goals=escaped(terms(goals)) or _("see their profile")
                )
            ),
            actions(
                button(_("Accept"), REQUEST_ACCEPT, value, "primary"),
                button(_("Decline"), REQUEST_DECLINE, value),
                block_id="mentor_request",
            ),
            context(
                _(
                    "Please answer by {when}; after that I'll offer them their next option. "
                    "Declining is fine: they only hear that you can't take it on right now."
                ).format(when=slack_date(answer_by))
            ),
        ],
        _("A mentee would like you as their mentor"),
    )


def answered(status: str, mentee_id: str, already: bool) -> str:
    """What the mentor sees in place of their Accept / Decline buttons."""
    mentee = f"<@{mentee_id}>"
    if not already:
        if status == RequestStatus.accepted:
            return _(
                "You accepted {mentee}. I've introduced you two in a DM, with a first-meeting plan."
            ).format(mentee=mentee)
        return _(
            "You declined {mentee}. Thanks for answering quickly: I've offered them their next option."
        ).format(mentee=mentee)
    if status == RequestStatus.expired:
        return _(
            "This request has expired and {mentee} has been offered their next option. Thanks anyway!"
        ).format(mentee=mentee)
    if status == RequestStatus.withdrawn:
        return _("{mentee} has a mentor already, so this request is closed. Thanks anyway!").format(
            mentee=mentee
        )
    if status == RequestStatus.accepted:
        return _("You've already accepted this request.")
    return _("You've already declined this request.")
