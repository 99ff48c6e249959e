"""Buttons on a round held for review: remove a pair (re-solving the rest), or publish. Admins only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import notify
from bot.i18n import _
from bot.listeners.common import (
    NOT_ADMIN,
    answer_later,
    answers_failures,
    deps_of,
    now_of,
    replace_original,
    slack_user,
)
from bot.listeners.review_replies import review_reply
from bot.rendering.help import plain_reply
from bot.rendering.review_messages import proposal_message, published
from bot.services import admins, review
from bot.storage.db import row_id, transaction


@answers_failures
def remove_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    engine, now = deps_of(context).engine, now_of(context)

    def remove(team: str, user: str) -> dict[str, Any]:
        with transaction(engine) as session:
            round_id = review.pending_round(session, team)
            proposal = review.remove(session, team, round_id, row_id(action.get("value")), user, now)
        return proposal_message(proposal, "Removed; the rest was re-solved.")

    _guarded(body, client, respond, context, remove)


@answers_failures
def publish_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> None:
    ack()
    engine, now = deps_of(context).engine, now_of(context)

    def publish(team: str, user: str) -> dict[str, Any]:
        with notify.unit_of_work(engine, now) as (session, notices):
            pairs = review.publish(session, notices, team, row_id(action.get("value")), user, now)
        return plain_reply(published(pairs))

    _guarded(body, client, respond, context, publish)


def _guarded(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: Any,
    work: Callable[[str, str], dict[str, Any]],
) -> None:
    """Admins only (refusals audited); the review message is replaced by what happened."""
    engine = deps_of(context).engine
    team, user = body["team"]["id"], body["user"]["id"]
    someone = slack_user(client, user)
    with transaction(engine) as session:
        is_admin = admins.allowed(session, team, user, someone, "review", now_of(context))
    if not is_admin:
        answer_later(respond, client, user, plain_reply(_(NOT_ADMIN)))
        return
    replace_original(respond, client, user, review_reply(lambda: work(team, user)))
