"""What an admin is told after changing or publishing a round under review (command or button)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.domain import Refusal
from bot.i18n import _
from bot.rendering.help import plain_reply
from bot.rendering.review_messages import NOTHING_PENDING
from bot.rendering.terms import reason_text
from bot.services import review
from matching import InfeasiblePair


def review_reply(change: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``change`` (it returns the message to show); refusals come back in words."""
    try:
        return change()
    except review.NotPending:
        return plain_reply(_(NOTHING_PENDING))
    except InfeasiblePair as exc:
        return plain_reply(
            _("I can't make that swap: {why}. Nothing changed.").format(why=reason_text(exc.reason))
        )
    except Refusal as refused:
        return plain_reply(reason_text(refused.reason))
