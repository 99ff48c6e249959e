"""End-of-term feedback: a 1-5 rating and an optional comment."""

from __future__ import annotations

from typing import Any

from bot.i18n import N_, _
from bot.rendering.blocks import input_block, modal, option, select_input

CALLBACK_ID = "feedback_modal"
RATINGS = (N_("1 - not useful"), "2", "3", "4", N_("5 - very useful"))


def feedback_modal(subject: str, circle: bool) -> dict[str, Any]:
    """The rating modal for a pairing or (``circle``) a circle; ``subject`` comes back with the
    submission, as the modal's metadata."""
    return modal(
        _("Mentoring feedback"),
        [
            select_input(
                "rating",
                _("How useful was this circle?") if circle else _("How useful was this pairing?"),
                [option(_(label), str(k)) for k, label in enumerate(RATINGS, start=1)],
            ),
            input_block(
                "comment",
                _("Anything to share? (only program admins who ask see comments)"),
                {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 2000},
                optional=True,
            ),
        ],
        callback_id=CALLBACK_ID,
        submit=_("Send"),
        metadata=subject,
    )


def parse_feedback(values: dict[str, Any]) -> tuple[int, str]:
    """(rating, comment); raises ValueError with the block id to flag."""
    selected = ((values.get("rating") or {}).get("value") or {}).get("selected_option") or {}
    rating = str(selected.get("value", ""))
    if not rating.isdigit() or not 1 <= int(rating) <= 5:
        raise ValueError("rating")
    comment = ((values.get("comment") or {}).get("value") or {}).get("value") or ""
    return int(rating), str(comment)
