"""Deliver the outbox: every message exactly once, through crashes, slow workers, rate limits
and dead users.

A message goes through three steps:

1. **claim**: ``pending -> sending``, a batch at a time, each claim with a fresh token
   (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers share the queue
   without taking the same row);
2. **send**: ``chat.postMessage`` carrying the row's dedupe key in Slack message
   ``metadata``;
3. **mark sent** with Slack's ``ts``.

A claim belongs to whoever holds its token, and only the holder acts on it. Right
before posting, the holder renews the claim with an update that matches its token
and status; if another worker has taken the row over, the update matches nothing
and the holder walks away without posting. Finishing, releasing and failing match
the token too, so a worker never writes over a row that someone else now holds.
While rows wait their turn (pacing, Retry-After), a heartbeat renews every claim
the call holds, so a live worker keeps its rows however long Slack makes it wait.

A claim not renewed for the lease is presumed dead (its worker crashed) and may be
taken over. The taker first looks in the conversation's history for a message with
the row's key, from the row's first claim on, page by page: found means it was sent
(mark it), not found means it wasn't (send it). A post gets at most half the lease
(the client's timeout, and no retries inside slack_sdk), so one that began under a
live claim has ended, one way or the other, before the row can be taken over.
"""

from __future__ import annotations

import copy
import logging
import threading
import urllib.error
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, and_, insert, or_, update
from sqlmodel import Session, col, func, select

from bot.delivery.pacing import Pacer
from bot.domain import FailedMessage, OutboxStatus, Page
from bot.rendering.admin import redirected
from bot.rendering.help import plain_reply
from bot.services import admins
from bot.storage.db import transaction
from bot.storage.models import Outbox, ProgramSettings, as_utc

log = logging.getLogger("mentorbot.outbox")

#: A claim not renewed for this long is presumed dead (its worker crashed) and is taken
#: over (``OUTBOX_LEASE_SECONDS``). Live workers renew theirs every third of it.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
#: 429s waited out in place before the row goes back to the queue (each wait renews the claim).
RATE_LIMIT_RETRIES = 3
#: A Retry-After longer than this is not waited out in place: the row goes back to the queue.
LONGEST_WAIT = 30.0
#: How far before the first claim a history lookup starts (clocks of several machines).
CLOCK_SKEW = timedelta(seconds=60)
#: Messages a history page asks for: Slack's cap for apps outside the Marketplace.
HISTORY_PAGE = 15
#: Marks a failed attempt that Slack may nevertheless have carried out (a timeout,
#: a dropped connection, a 5xx): the next attempt checks the history first.
UNKNOWN_OUTCOME = "unknown outcome: "
#: Why a reclaimed row went back to the queue unposted (it keeps the unknown outcome's mark).
HISTORY_WAIT = f"{UNKNOWN_OUTCOME}waiting for a history lookup"
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
#: A message to a channel failed with one of these: it goes to the program's admins by DM instead.
CHANNEL_GONE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
#: Errors about the app's own token: nothing can be sent for that workspace until fixed.
AUTH = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive_bot"})

ClientFor = Callable[[str], WebClient]


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    taken_over: int = 0  # claims another worker took over while this one waited; it sent nothing
    failures: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claim:
    id: int
    token: str
    team_id: str
    dedupe_key: str
    kind: str
    recipients: list[str]
    payload: dict[str, Any]
    channel: str | None
    reclaimed: bool
    attempts: int
    since: datetime  # no attempt can have reached Slack before this: the first claim


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
    """Send every message that is due, oldest first (in order within each conversation); return what happened.

    Rows are claimed ``batch`` at a time (one transaction) and sent on
    ``concurrency`` threads that share each workspace's :class:`Pacer`, so the
    time per message hides behind the rate limit instead of adding to it.
    ``pacer_for`` gives each workspace's pacer (limits are per workspace); by
    default one is made per workspace for this call. ``now`` is the clock: when a
    deferred message is due again, and how old a claim is.
    """
    report = DeliveryReport()
    blocked: set[str] = set()
    pacers: dict[str, Pacer] = {}
    pacer_for = pacer_for or (lambda team: pacers.setdefault(team, Pacer()))

    def handled() -> int:
        return report.sent + report.failed + report.deferred + report.taken_over

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool, _heartbeat(engine, now, lease) as held:
        while limit is None or handled() < limit:
            size = batch if limit is None else min(batch, limit - handled())
            claims = _claim(engine, now(), blocked, lease, size)
            if not claims:
                break
            held.update(c.token for c in claims)
            # One conversation's messages go out one after another, in the order they were queued
            # (a round's intro before its follow-up); different conversations go out side by side.
            conversations: dict[tuple[str, ...], list[tuple[WebClient, _Claim]]] = {}
            for c in claims:
                try:
                    client = _sender(client_for(c.team_id), lease)
                except LookupError:  # multi-workspace mode: the app is not (or no longer) installed there
                    _release(engine, c, now(), "app not installed in this workspace", undo_attempt=True)
                    blocked.add(c.team_id)
                    report.deferred += 1
                    continue
                key = (c.team_id, c.channel) if c.channel else (c.team_id, *sorted(c.recipients))
                conversations.setdefault(key, []).append((client, c))
            jobs = [
                pool.submit(_deliver_in_turn, engine, queued, pacer_for, now, blocked)
                for queued in conversations.values()
            ]
            for job in jobs:
                for outcome, claim_id, error in job.result():
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    if outcome == "failed":
                        report.failures.append((claim_id, error))
            held.difference_update(c.token for c in claims)
    return report


def _sender(client: WebClient, lease: timedelta) -> WebClient:
    """The workspace's client as delivery uses it: no retries of its own, and an answer within
    half the lease. Delivery retries itself, renewing its claim first (see the module docstring)."""
    sender = copy.copy(client)
    sender.retry_handlers = []
    sender.timeout = max(1, min(int(client.timeout), int(lease.total_seconds() / 2)))
    return sender


@contextmanager
def _heartbeat(engine: Engine, now: Callable[[], datetime], lease: timedelta) -> Iterator[set[str]]:
    """Renew the claims whose tokens are in the yielded set every third of the lease, until exit."""
    held: set[str] = set()
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            tokens = list(held)
            if not tokens:
                continue
            try:
                with transaction(engine) as session:
                    session.exec(
                        update(Outbox)
                        .where(
                            col(Outbox.claim_token).in_(tokens), col(Outbox.status) == OutboxStatus.sending
                        )
                        .values(claimed_at=now())
                    )
            except Exception:  # the database is away: claims may lapse, and then renewal before posting fails
                log.warning("could not renew %d outbox claims", len(tokens), exc_info=True)

    thread = threading.Thread(target=beat, name="outbox-heartbeat", daemon=True)
    thread.start()
    try:
        yield held
    finally:
        stop.set()
        thread.join()


def _claim(engine: Engine, now: datetime, blocked: set[str], lease: timedelta, size: int) -> list[_Claim]:
    """Claim up to ``size`` due rows (and lapsed claims of crashed workers) in one transaction."""
    with transaction(engine) as session:
        query = (
            select(Outbox)
            .where(
                or_(
                    and_(col(Outbox.status) == OutboxStatus.pending, col(Outbox.send_after) <= now),
                    and_(col(Outbox.status) == OutboxStatus.sending, col(Outbox.claimed_at) < now - lease),
                )
            )
            .order_by(col(Outbox.id))
            .limit(size)
        )
        if blocked:
            query = query.where(col(Outbox.team_id).not_in(blocked))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claims = []
        for row in session.exec(query).all():
            # A crashed worker's claim, or an attempt whose post may have reached Slack:
            # either way, look in the conversation before posting again.
            reclaimed = row.status == OutboxStatus.sending or (row.last_error or "").startswith(
                UNKNOWN_OUTCOME
            )
            row.status, row.claimed_at, row.attempts = OutboxStatus.sending, now, row.attempts + 1
            row.claim_token = uuid.uuid4().hex
            row.first_claimed_at = row.first_claimed_at or now
            session.add(row)
            assert row.id is not None
            claims.append(
                _Claim(
                    row.id,
                    row.claim_token,
                    row.team_id,
                    row.dedupe_key,
                    row.kind,
                    list(row.recipients),
                    dict(row.payload),
                    row.channel,
                    reclaimed,
                    row.attempts,
                    as_utc(row.first_claimed_at),
                )
            )
        return claims


def _deliver_in_turn(
    engine: Engine,
    queued: list[tuple[WebClient, _Claim]],
    pacer_for: Callable[[str], Pacer],
    now: Callable[[], datetime],
    blocked: set[str],
) -> list[tuple[str, int, str]]:
    """Send one conversation's claimed messages in their queued order; what happened to each."""
    return [_deliver_one(engine, client, pacer_for(c.team_id), c, now, blocked) for client, c in queued]


def _deliver_one(
    engine: Engine,
    client: WebClient,
    pacer: Pacer,
    claim: _Claim,
    now: Callable[[], datetime],
    blocked: set[str],
) -> tuple[str, int, str]:
    """Send one claimed message; return ("sent" | "failed" | "deferred" | "taken_over", its id, the error)."""
    if claim.team_id in blocked:  # the workspace's token failed earlier in this batch
        _release(engine, claim, now(), "waiting for a valid token", undo_attempt=True)
        return "deferred", claim.id, ""
    try:
        channel = claim.channel or _open(client, pacer, claim)
        ts = None
        if claim.reclaimed:
            wait = pacer.ready_in("conversations.history")
            if wait > LONGEST_WAIT:  # history is paced hard: come back when a lookup may go
                _release(engine, claim, now() + timedelta(seconds=wait), HISTORY_WAIT, undo_attempt=True)
                return "deferred", claim.id, ""
            ts = _find_sent(client, pacer, channel, claim)
        if ts is None:
            ts = _post(engine, client, pacer, channel, claim, now)
            if ts is None:
                return "taken_over", claim.id, ""
        if not _finish(engine, claim, slack_ts=ts, sent_at=now(), channel=channel):
            log.warning(
                "outbox %s was sent, but its claim had lapsed; the taker finds it in history", claim.id
            )
        return "sent", claim.id, ""
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "")
        if exc.response.status_code == 429:
            wait = int(exc.response.headers.get("Retry-After", "30"))
            _release(engine, claim, now() + timedelta(seconds=wait), "ratelimited")
            return "deferred", claim.id, error
        if error in AUTH:
            log.error(
                "workspace %s: Slack refused the bot token (%s); its messages wait", claim.team_id, error
            )
            _release(engine, claim, now(), error, undo_attempt=True)
            blocked.add(claim.team_id)
            return "deferred", claim.id, error
        if error in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
            _fail(engine, claim, error or f"HTTP {exc.response.status_code}", now())
            return "failed", claim.id, error
        _release(
            engine, claim, now() + _backoff(claim.attempts), f"{UNKNOWN_OUTCOME}{error or 'server error'}"
        )
        return "deferred", claim.id, error
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        _release(engine, claim, now() + _backoff(claim.attempts), f"{UNKNOWN_OUTCOME}{type(exc).__name__}")
        return "deferred", claim.id, type(exc).__name__


class _TakenOver(Exception):
    """Another worker holds the row now: this one must not post it."""


def _post(
    engine: Engine,
    client: WebClient,
    pacer: Pacer,
    channel: str,
    claim: _Claim,
    now: Callable[[], datetime],
) -> str | None:
    """Post the message if the claim is still ours; its ts, or None when another worker holds it.

    The claim is checked (and renewed) right before each try, 429s included.
    """

    def post() -> str:
        if not _renew(engine, claim, now()):
            raise _TakenOver(claim.id)
        reply = client.chat_postMessage(
            channel=channel,
            **claim.payload,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": claim.dedupe_key}},
        )
        return str(reply["ts"])

    try:
        return _paced(pacer, "chat.postMessage", channel, post)
    except _TakenOver:
        return None


def _paced(pacer: Pacer, method: str, channel: str | None, call: Callable[[], Any]) -> Any:
    """Make a Slack call at the pace its limit allows. A 429 means Slack did nothing: it is
    waited out here (at most ``RATE_LIMIT_RETRIES`` times, each no longer than ``LONGEST_WAIT``)
    and the call made again; any other error, or a longer wait, goes up to the caller."""
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        pacer.wait(method, channel)
        try:
            return call()
        except SlackApiError as exc:
            limited = exc.response.status_code == 429
            wait = float(exc.response.headers.get("Retry-After", "30")) if limited else 0.0
            if not limited or attempt == RATE_LIMIT_RETRIES or wait > LONGEST_WAIT:
                raise
            pacer.hold(method, channel, wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _open(client: WebClient, pacer: Pacer, claim: _Claim) -> str:
    """The DM or group DM for the recipients (Slack returns the same one every time)."""
    opened = _paced(
        pacer, "conversations.open", None, lambda: client.conversations_open(users=",".join(claim.recipients))
    )
    return str(opened["channel"]["id"])


def _find_sent(client: WebClient, pacer: Pacer, channel: str, claim: _Claim) -> str | None:
    """The ts of a message already carrying this row's key, if an earlier attempt got through.

    Looks only at messages since the row's first claim (less a margin for clocks), a page
    of ``HISTORY_PAGE`` at a time, each page paced like every other history call.
    """
    cursor: str | None = None
    oldest = f"{(claim.since - CLOCK_SKEW).timestamp():.6f}"
    while True:

        def lookup(after: str | None = cursor) -> Any:
            return client.conversations_history(
                channel=channel, oldest=oldest, include_all_metadata=True, limit=HISTORY_PAGE, cursor=after
            )

        page = _paced(pacer, "conversations.history", None, lookup)
        for msg in page.get("messages", []):
            meta = msg.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("key") == claim.dedupe_key
            ):
                return str(msg["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None


def _held_by(claim: _Claim) -> Any:
    """The row, only while this claim holds it."""
    return and_(
        col(Outbox.id) == claim.id,
        col(Outbox.claim_token) == claim.token,
        col(Outbox.status) == OutboxStatus.sending,
    )


def _renew(engine: Engine, claim: _Claim, now: datetime) -> bool:
    """Extend the claim if it is still ours; False once another worker has taken the row over."""
    with transaction(engine) as session:
        return session.exec(update(Outbox).where(_held_by(claim)).values(claimed_at=now)).rowcount == 1


def _finish(engine: Engine, claim: _Claim, **values: Any) -> bool:
    with transaction(engine) as session:
        changed = session.exec(
            update(Outbox)
            .where(_held_by(claim))
            .values(status=OutboxStatus.sent, claimed_at=None, claim_token=None, **values)
        )
        return changed.rowcount == 1


def _release(engine: Engine, claim: _Claim, when: datetime, error: str, undo_attempt: bool = False) -> None:
    """Back to the queue, due at ``when``; a no-op if the claim is no longer ours.

    A reclaimed row keeps its unknown-outcome mark, so its next attempt looks in the history too.
    """
    if claim.reclaimed and not error.startswith(UNKNOWN_OUTCOME):
        error = UNKNOWN_OUTCOME + error
    with transaction(engine) as session:
        session.exec(
            update(Outbox)
            .where(_held_by(claim))
            .values(
                status=OutboxStatus.pending,
                send_after=when,
                last_error=error[:500],
                claimed_at=None,
                claim_token=None,
                attempts=Outbox.attempts - (1 if undo_attempt else 0),
            )
        )


def _fail(engine: Engine, claim: _Claim, error: str, now: datetime) -> None:
    """Mark the message failed and tell the admins: a notice in the admin channel or, when it was
    the channel that failed, the message itself to each program admin by DM."""
    with transaction(engine) as session:
        failed = session.exec(
            update(Outbox)
            .where(_held_by(claim))
            .values(status=OutboxStatus.failed, last_error=error[:500], claimed_at=None, claim_token=None)
        )
        if failed.rowcount != 1:
            return
        settings = session.get(ProgramSettings, claim.team_id)
        if claim.channel and error in CHANNEL_GONE:
            people = admins.program_admins(session, claim.team_id)
            for admin in people:
                queue(
                    session,
                    claim.team_id,
                    f"{claim.dedupe_key}:dm:{admin}",
                    claim.kind,
                    [admin],
                    redirected(claim.payload, claim.kind, claim.channel, error),
                    now,
                )
            if not people:
                log.error("workspace %s: no admin to tell that <#%s> fails", claim.team_id, claim.channel)
        elif claim.kind != "admin_notice" and settings is not None and settings.admin_channel:
            who = ", ".join(f"<@{u}>" for u in claim.recipients) or f"<#{claim.channel}>"
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


@dataclass(frozen=True, slots=True)
class Message:
    """A message to queue: to ``channel`` if given, else to a DM or group DM of the
    ``recipients``, at ``send_after`` (default: as soon as possible). ``key`` makes it
    unique in its workspace."""

    key: str
    kind: str
    recipients: list[str]
    payload: dict[str, Any]
    channel: str | None = None
    send_after: datetime | None = None


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
    """One message for the outbox, in the caller's transaction (see :class:`Message`)."""
    queue_all(session, team_id, now, [Message(key, kind, recipients, payload, channel, send_after)])


def queue_all(session: Session, team_id: str, now: datetime, messages: Iterable[Message]) -> None:
    """Messages for the outbox, in the caller's transaction and in this order (delivery keeps it
    within each conversation). One batched insert: a round queues tens of thousands."""
    rows = [
        {
            "team_id": team_id,
            "dedupe_key": m.key,
            "kind": m.kind,
            "recipients": list(m.recipients),
            "channel": m.channel,
            "payload": m.payload,
            "status": OutboxStatus.pending,
            "attempts": 0,
            "send_after": m.send_after or now,
            "created_at": now,
        }
        for m in messages
    ]
    if rows:
        session.exec(insert(Outbox), params=rows)


def failed(session: Session, team_id: str, page: int = 1, size: int = 50) -> Page[FailedMessage]:
    """The workspace's messages that could not be delivered, newest first."""
    rows = session.exec(
        select(Outbox)
        .where(*_failed_in(team_id))
        .order_by(col(Outbox.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return Page(
        tuple(
            FailedMessage(
                r.id or 0,
                r.kind,
                tuple(r.recipients),
                r.channel,
                (r.last_error or "").removeprefix(UNKNOWN_OUTCOME),
                as_utc(r.created_at),
            )
            for r in rows
        ),
        failed_count(session, team_id),
        page,
        size,
    )


def failed_count(session: Session, team_id: str) -> int:
    """How many of the workspace's messages could not be delivered (and wait for a retry)."""
    return session.exec(select(func.count()).where(*_failed_in(team_id))).one()


def _failed_in(team_id: str) -> tuple[Any, ...]:
    return col(Outbox.team_id) == team_id, col(Outbox.status) == OutboxStatus.failed


def retry(session: Session, team_id: str, message_id: int, now: datetime) -> bool:
    """Put a failed message of this workspace back in the queue, to go out at once; false if
    there is no such failed message (another admin retried it, or it isn't this workspace's).

    A message whose last attempt may have reached Slack keeps that mark, so delivery looks in
    the conversation's history before posting it again.
    """
    row = session.get(Outbox, message_id, with_for_update=True)
    if row is None or row.team_id != team_id or row.status != OutboxStatus.failed:
        return False
    unsure = (row.last_error or "").startswith(UNKNOWN_OUTCOME)
    row.status, row.attempts, row.send_after = OutboxStatus.pending, 0, now
    row.claimed_at, row.claim_token = None, None
    row.last_error = row.last_error if unsure else None
    session.add(row)
    return True
