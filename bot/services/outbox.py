"""Deliver the outbox: every message exactly once, through crashes, rate limits and dead users.

A message goes through three steps, each its own transaction or Slack call:

1. **claim**: ``pending -> sending`` with a timestamp, a batch at a time
   (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers share the queue
   without taking the same row);
2. **send**: ``chat.postMessage`` carrying the row's dedupe key in Slack message
   ``metadata``;
3. **mark sent** with Slack's ``ts``.

A process that dies between 2 and 3 leaves the row in ``sending``. Once its lease
expires, the next worker reclaims it and first looks in the conversation's history
for a message with that key: found means it was sent (mark it), not found means it
wasn't (send it). So nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import logging
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, select

from bot.services.pacing import Pacer
from bot.storage.db import transaction
from bot.storage.models import Outbox, ProgramSettings
from bot.views.help import plain_reply

log = logging.getLogger("mentorbot.outbox")

#: A claim older than this is presumed dead (its worker crashed) and is reclaimed
#: (``OUTBOX_LEASE_SECONDS``). Far longer than one send, retries included.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
#: Marks a failed attempt that Slack may nevertheless have carried out (a timeout,
#: a dropped connection, a 5xx): the next attempt checks the history first.
UNKNOWN_OUTCOME = "unknown outcome: "
METADATA_EVENT = "mentorbot_outbox"
#: Errors that retrying cannot fix: the message is marked failed and admins are told.
PERMANENT = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "account_inactive",
        "channel_not_found",
        "cannot_dm_bot",
        "is_archived",
        "not_in_channel",
        "invalid_users",
        "restricted_action",
        "no_permission",
        "msg_too_long",
        "invalid_blocks",
    }
)
#: Errors about the app's own token: nothing can be sent for that workspace until fixed.
AUTH = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive_bot"})

ClientFor = Callable[[str], WebClient]


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claim:
    id: int
    team_id: str
    dedupe_key: str
    kind: str
    recipients: list[str]
    payload: dict[str, Any]
    channel: str | None
    reclaimed: bool
    attempts: int
    created_at: datetime


def deliver(
    engine: Engine,
    client_for: ClientFor,
    now: Callable[[], datetime],
    *,
    limit: int | None = None,
    lease: timedelta = LEASE,
    pacer_for: Callable[[str], Pacer] | None = None,
    batch: int = 20,
    concurrency: int = 4,
) -> DeliveryReport:
    """Send every message that is due, oldest first; return what happened.

    Rows are claimed ``batch`` at a time (one transaction) and sent on
    ``concurrency`` threads that share each workspace's :class:`Pacer`, so the
    time per message hides behind the rate limit instead of adding to it.
    ``pacer_for`` gives each workspace's pacer (limits are per workspace); by
    default one is made per workspace for this call.
    """
    report = DeliveryReport()
    blocked: set[str] = set()
    pacers: dict[str, Pacer] = {}
    pacer_for = pacer_for or (lambda team: pacers.setdefault(team, Pacer()))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        while limit is None or report.sent + report.failed + report.deferred < limit:
            size = (
                batch if limit is None else min(batch, limit - report.sent - report.failed - report.deferred)
            )
            claims = _claim(engine, now(), blocked, lease, size)
            if not claims:
                break
            jobs = []
            for c in claims:
                try:
                    client = client_for(c.team_id)
                except LookupError:  # multi-workspace mode: the app is not (or no longer) installed there
                    _release(engine, c.id, now(), "app not installed in this workspace", undo_attempt=True)
                    blocked.add(c.team_id)
                    report.deferred += 1
                    continue
                jobs.append(pool.submit(_deliver_one, engine, client, pacer_for(c.team_id), c, now, blocked))
            for job in jobs:
                outcome, claim_id, error = job.result()
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome == "failed":
                    report.failures.append((claim_id, error))
    return report


def _claim(engine: Engine, now: datetime, blocked: set[str], lease: timedelta, size: int) -> list[_Claim]:
    """Claim up to ``size`` due rows (and expired claims of crashed workers) in one transaction."""
    with transaction(engine) as session:
        query = (
            select(Outbox)
            .where(
                or_(
                    and_(Outbox.status == "pending", Outbox.send_after <= now),
                    and_(Outbox.status == "sending", Outbox.claimed_at < now - lease),
                )
            )
            .order_by(Outbox.id)
            .limit(size)
        )
        if blocked:
            query = query.where(Outbox.team_id.not_in(blocked))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claims = []
        for row in session.exec(query).all():
            # A crashed worker's claim, or an attempt whose post may have reached Slack:
            # either way, look in the conversation before posting again.
            reclaimed = row.status == "sending" or (row.last_error or "").startswith(UNKNOWN_OUTCOME)
            row.status, row.claimed_at, row.attempts = "sending", now, row.attempts + 1
            session.add(row)
            assert row.id is not None
            claims.append(
                _Claim(
                    row.id,
                    row.team_id,
                    row.dedupe_key,
                    row.kind,
                    list(row.recipients),
                    dict(row.payload),
                    row.channel,
                    reclaimed,
                    row.attempts,
                    row.created_at,
                )
            )
        return claims


def _deliver_one(
    engine: Engine,
    client: WebClient,
    pacer: Pacer,
    claim: _Claim,
    now: Callable[[], datetime],
    blocked: set[str],
) -> tuple[str, int, str]:
    """Send one claimed message; return ("sent" | "failed" | "deferred", its id, the error)."""
    if claim.team_id in blocked:  # the workspace's token failed earlier in this batch
        _release(engine, claim.id, now(), "waiting for a valid token", undo_attempt=True)
        return "deferred", claim.id, ""
    try:
        channel = claim.channel or _open(client, pacer, claim)
        ts = _find_sent(client, pacer, channel, claim) if claim.reclaimed else None
        if ts is None:
            pacer.wait("chat.postMessage", channel)
            reply = client.chat_postMessage(
                channel=channel,
                **claim.payload,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"key": claim.dedupe_key}},
            )
            ts = reply["ts"]
        _finish(engine, claim.id, status="sent", slack_ts=ts, sent_at=now(), channel=channel)
        return "sent", claim.id, ""
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "")
        if exc.response.status_code == 429:
            wait = int(exc.response.headers.get("Retry-After", "30"))
            _release(engine, claim.id, now() + timedelta(seconds=wait), "ratelimited")
            return "deferred", claim.id, error
        if error in AUTH:
            log.error(
                "workspace %s: Slack refused the bot token (%s); its messages wait", claim.team_id, error
            )
            _release(engine, claim.id, now(), error, undo_attempt=True)
            blocked.add(claim.team_id)
            return "deferred", claim.id, error
        if error in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
            _fail(engine, claim, error or f"HTTP {exc.response.status_code}", now())
            return "failed", claim.id, error
        _release(
            engine, claim.id, now() + _backoff(claim.attempts), f"{UNKNOWN_OUTCOME}{error or 'server error'}"
        )
        return "deferred", claim.id, error
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        _release(engine, claim.id, now() + _backoff(claim.attempts), f"{UNKNOWN_OUTCOME}{type(exc).__name__}")
        return "deferred", claim.id, type(exc).__name__


def _open(client: WebClient, pacer: Pacer, claim: _Claim) -> str:
    """The DM or group DM for the recipients (Slack returns the same one every time)."""
    pacer.wait("conversations.open")
    return client.conversations_open(users=",".join(claim.recipients))["channel"]["id"]


def _find_sent(client: WebClient, pacer: Pacer, channel: str, claim: _Claim) -> str | None:
    """The ts of a message already carrying this row's key, if an earlier attempt got through."""
    pacer.wait("conversations.history")
    created = claim.created_at if claim.created_at.tzinfo else claim.created_at.replace(tzinfo=UTC)
    history = client.conversations_history(
        channel=channel, oldest=f"{created.timestamp() - 60:.6f}", include_all_metadata=True, limit=200
    )
    for msg in history.get("messages", []):
        meta = msg.get("metadata") or {}
        if (
            meta.get("event_type") == METADATA_EVENT
            and (meta.get("event_payload") or {}).get("key") == claim.dedupe_key
        ):
            return msg["ts"]
    return None


def _finish(engine: Engine, outbox_id: int, **values: Any) -> None:
    with transaction(engine) as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)
        row.claimed_at = None
        session.add(row)


def _release(engine: Engine, outbox_id: int, when: datetime, error: str, undo_attempt: bool = False) -> None:
    with transaction(engine) as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        row.status, row.send_after, row.last_error, row.claimed_at = "pending", when, error[:500], None
        if undo_attempt:
            row.attempts -= 1
        session.add(row)


def _fail(engine: Engine, claim: _Claim, error: str, now: datetime) -> None:
    """Mark the message failed and queue a notice to the admin channel, if there is one."""
    with transaction(engine) as session:
        row = session.get(Outbox, claim.id)
        assert row is not None
        row.status, row.last_error, row.claimed_at = "failed", error[:500], None
        session.add(row)
        settings = session.get(ProgramSettings, claim.team_id)
        if claim.kind != "admin_notice" and settings is not None and settings.admin_channel:
            who = ", ".join(f"<@{u}>" for u in claim.recipients)
            queue(
                session,
                claim.team_id,
                f"failed:{claim.id}",
                "admin_notice",
                [],
                plain_reply(f"A {claim.kind} message to {who} could not be delivered: `{error}`."),
                now,
                channel=settings.admin_channel,
            )
    log.warning("outbox %s (%s) failed: %s", claim.id, claim.kind, error)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 2**attempts))


def queue(
    session: Session,
    team_id: str,
    key: str,
    kind: str,
    recipients: list[str],
    payload: dict,
    now: datetime,
    channel: str | None = None,
    send_after: datetime | None = None,
) -> None:
    """A message for the outbox, in the caller's transaction (its key makes it unique).

    It goes to ``channel`` if given, else to a DM or group DM of the ``recipients``, at
    ``send_after`` (default: as soon as possible).
    """
    session.add(
        Outbox(
            team_id=team_id,
            dedupe_key=key,
            kind=kind,
            recipients=recipients,
            channel=channel,
            payload=payload,
            send_after=send_after or now,
            created_at=now,
        )
    )
