"""What admins see of a round held for review: the proposed pairs, why, and how to change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Proposal, Row
from bot.rendering.blocks import actions, button, context, escape, escaped, header, message, section
from bot.rendering.terms import reason_text

REVIEW_REMOVE, REVIEW_PUBLISH = "review_remove", "review_publish"
NOTHING_PENDING = "There's no round waiting for review: it was published or dropped already."
#: Slack allows 50 blocks a message; beyond this many pairs, remove by number instead.
ROWS_WITH_BUTTONS = 40


def review(
    round_id: int, rows: list[Row], unmatched: int, expires: datetime, expiry: str, note: str = ""
) -> dict[str, Any]:
    then = "published as they stand" if expiry == "publish" else "dropped (no pairs this round)"
    blocks = [
        header(f"Proposed pairs for review: {len(rows)}"),
        section(
            f"Nothing has been sent to members. Remove a pair and I'll re-solve the rest; swap the "
            f"mentees of two pairs with `/mentor admin swap 2 5`; then publish. Unless someone "
            f"publishes by {expires:%a %d %b %H:%M} UTC, they'll be {then}. "
            f"{unmatched} mentees are without a mentor in this proposal."
        ),
    ]
    if note:
        blocks.append(context(note))
    for row in rows[:ROWS_WITH_BUTTONS]:
        pair = row.pair
        blocks.append(
            section(
                f"*{row.number}.* {escape(pair.mentor_name)} → {escape(pair.mentee_name)} "
                f"(score {pair.score:.2f})\n" + escaped([reason_text(r) for r in pair.reasons[:3]], "; "),
                accessory=button("Remove", REVIEW_REMOVE, str(row.pairing_id), "danger"),
            )
        )
    if len(rows) > ROWS_WITH_BUTTONS:
        blocks.append(
            context(f"…and {len(rows) - ROWS_WITH_BUTTONS} more; `/mentor admin remove N` removes pair N.")
        )
    blocks.append(actions(button("Publish these pairs", REVIEW_PUBLISH, str(round_id), "primary")))
    return message(blocks, f"{len(rows)} proposed pairs are waiting for your review")


def proposal_message(p: Proposal, note: str = "") -> dict[str, Any]:
    return review(p.round_id, p.rows, p.unmatched, p.expires, p.expiry, note)


def published(pairs: int) -> str:
    return f"Published: {pairs} pairs. The introductions are on their way."
