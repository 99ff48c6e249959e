"""What admins see of a round held for review: the proposed pairs, why, and how to change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Proposal, Row
from bot.i18n import N_, _
from bot.rendering.blocks import (
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
from bot.rendering.terms import reason_text

REVIEW_REMOVE, REVIEW_PUBLISH = "review_remove", "review_publish"
NOTHING_PENDING = N_("There's no round waiting for review: it was published or dropped already.")
#: Slack allows 50 blocks a message; beyond this many pairs, remove by number instead.
ROWS_WITH_BUTTONS = 40


def review(
    round_id: int, rows: list[Row], unmatched: int, expires: datetime, expiry: str, note: str = ""
) -> dict[str, Any]:
    then = (
        _("Unless someone publishes by {when}, they'll be published as they stand.")
        if expiry == "publish"
        else _("Unless someone publishes by {when}, they'll be dropped (no pairs this round).")
    ).format(when=slack_date(expires))
    blocks = [
        header(_("Proposed pairs for review: {count}").format(count=len(rows))),
        section(
            _(
                "Nothing has been sent to members. Remove a pair and I'll re-solve the rest; swap the "
                "mentees of two pairs with `/mentor admin swap 2 5`; then publish."
            )
            + f" {then} "
            + _("{count} mentees are without a mentor in this proposal.").format(count=unmatched)
        ),
    ]
    if note:
        blocks.append(context(note))
    for row in rows[:ROWS_WITH_BUTTONS]:
        pair = row.pair
        blocks.append(
            section(
                f"*{row.number}.* {escape(pair.mentor_name)} → {escape(pair.mentee_name)} "
                + _("(score {score:.2f})").format(score=pair.score)
                + "\n"
                + escaped([reason_text(r) for r in pair.reasons[:3]], "; "),
                accessory=button(_("Remove"), REVIEW_REMOVE, str(row.pairing_id), "danger"),
            )
        )
    if len(rows) > ROWS_WITH_BUTTONS:
        blocks.append(
            context(
                _("…and {count} more; `/mentor admin remove N` removes pair N.").format(
                    count=len(rows) - ROWS_WITH_BUTTONS
                )
            )
        )
    blocks.append(actions(button(_("Publish these pairs"), REVIEW_PUBLISH, str(round_id), "primary")))
    return message(blocks, _("{count} proposed pairs are waiting for your review").format(count=len(rows)))


def proposal_message(p: Proposal, note: str = "") -> dict[str, Any]:
    return review(p.round_id, p.rows, p.unmatched, p.expires, p.expiry, note)


def published(pairs: int) -> str:
    return _("Published: {count} pairs. The introductions are on their way.").format(count=pairs)
