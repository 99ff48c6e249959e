"""Buttons on a round held for review: remove a pair (re-solving the rest), or publish. Admins only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.listeners.common import answer_later, deps_of, error_text, slack_user
from bot.services import admins, review
from bot.views.help import plain_reply
from bot.views.review_messages import NOTHING_PENDING, proposal_message, published

NOT_ADMIN = "Only program admins can change or publish a round."


def remove_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    _guarded(
        body,
        client,
        respond,
        context,
        lambda team, user: proposal_message(
            review.remove(
                deps_of(context).engine,
                team,
                review.pending_round(deps_of(context).engine, team),
                int(str(action.get("value", "0"))),
                user,
            ),
            "Removed; the rest was re-solved.",
        ),
    )


def publish_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    _guarded(
        body,
        client,
        respond,
        context,
        lambda team, user: plain_reply(
            published(review.publish(deps_of(context).engine, team, int(str(action.get("value", "0"))), user))
        ),
    )


def _guarded(body: dict[str, Any], client: WebClient, respond: Respond, context: Any, work: Any) -> None:
    """Admins only (refusals audited); the review message is replaced by what happened."""
    engine = deps_of(context).engine
    team, user = body["team"]["id"], body["user"]["id"]
    try:
        if not admins.is_admin(engine, team, user, slack_user(client, user)):
            admins.audit(engine, team, user, "refused", command="review")
            answer_later(respond, client, user, plain_reply(NOT_ADMIN))
            return
        reply = work(team, user)
    except (review.NotPending, ValueError):
        reply = plain_reply(NOTHING_PENDING)
    except Exception as exc:
        answer_later(respond, client, user, plain_reply(error_text(exc)))
        return
    if getattr(respond, "response_url", None):
        respond(**reply, replace_original=True)
    else:
        answer_later(respond, client, user, reply)
