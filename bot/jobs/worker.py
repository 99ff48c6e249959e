"""The worker: start each workspace's round when it is due, then deliver the outbox.

Safe to run as several processes against one PostgreSQL: rounds are unique per
period in the database and outbox rows are claimed with ``SKIP LOCKED``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import notify
from bot.delivery import outbox
from bot.delivery.pacing import Pacer
from bot.domain import RoundOutcome
from bot.jobs import digest
from bot.services import mentor_requests, participation, review, rounds
from bot.services.rounds import has_run, is_due, period_of
from bot.storage.models import ProgramSettings

log = logging.getLogger("mentorbot.worker")
ROUND_STARTS = "this period's round starts"


@dataclass
class TickReport:
    rounds: list[tuple[str, RoundOutcome]] = field(default_factory=list)
    delivery: outbox.DeliveryReport = field(default_factory=outbox.DeliveryReport)


def due_workspaces(engine: Engine, now: datetime) -> list[str]:
    with Session(engine) as session:
        return [
            s.team_id
            for s in session.exec(select(ProgramSettings)).all()
            if is_due(s, now) and not has_run(session, s.team_id, period_of(s, now))
        ]


def run_round(engine: Engine, team_id: str, now: datetime, *, dry_run: bool = False) -> RoundOutcome:
    """This period's round for one workspace, committed together with every message it causes
    (see :func:`bot.services.rounds.run_round`)."""
    with notify.unit_of_work(engine, now) as (session, notices):
        return rounds.run_round(session, notices, team_id, now, dry_run=dry_run)


def send_heads_ups(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        due = participation.due_heads_ups(session, now)
    for team_id, nxt in due:
        with notify.unit_of_work(engine, now) as (session, notices):
            queued = participation.queue_heads_up(session, notices, team_id, nxt, now)
        log.info("workspace %s: heads-up for round %s to %d members", team_id, nxt.period, queued)


def expire_requests(engine: Engine, now: datetime) -> int:
    """Close every mentor request left unanswered past its time, each in its own transaction;
    how many were closed."""
    with Session(engine) as session:
        due = mentor_requests.due_requests(session, now)
    closed = 0
    for request_id in due:
        with notify.unit_of_work(engine, now) as (session, notices):
            closed += mentor_requests.expire(session, notices, request_id, now)
    return closed


def expire_reviews(engine: Engine, now: datetime) -> list[tuple[str, int, str]]:
    """Publish or drop held rounds past their review time; (workspace, round, what happened)."""
    with Session(engine) as session:
        due = review.overdue(session, now)
    done = []
    for team_id, round_id, action in due:
        try:
            with notify.unit_of_work(engine, now) as (session, notices):
                if action == "drop":
                    review.drop(session, team_id, round_id, review.BOT, now)
                else:
                    review.publish(session, notices, team_id, round_id, review.BOT, now)
        except review.NotPending:  # an admin got there first
            continue
        done.append((team_id, round_id, action))
    return done


def tick(
    engine: Engine,
    client_for: outbox.ClientFor,
    now: datetime,
    *,
    clock: Callable[[], datetime] | None = None,
    lease: timedelta = outbox.LEASE,
    pacer_for: Callable[[str], Pacer] | None = None,
) -> TickReport:
    """One pass at ``now``: heads-ups before rounds, due rounds (their intros join the queue),
    unanswered mentor requests, unreviewed rounds, digests, then delivery.

    Every decision is taken at ``now``. Delivery can outlast it (rate limits, retries), so it
    reads ``clock`` for when to try a deferred message again and how old a claim is; without
    one, the whole pass happens at ``now``.
    """
    report = TickReport()
    clock = clock or (lambda: now)
    send_heads_ups(engine, now)
    for team_id in due_workspaces(engine, now):
        log.info("workspace %s: %s", team_id, ROUND_STARTS)
        outcome = run_round(engine, team_id, now)
        report.rounds.append((team_id, outcome))
        if outcome.created:
            log.info(
                "workspace %s: round %s paired %d, %d without a mentor",
                team_id,
                outcome.period,
                len(outcome.pairs),
                len(outcome.unmatched),
            )
    if expired := expire_requests(engine, now):
        log.info("%d mentor requests went unanswered; their mentees were offered the next best", expired)
    for team_id, round_id, action in expire_reviews(engine, now):
        log.info("workspace %s: round %s not reviewed in time: %s", team_id, round_id, action)
    digest.publish_pending(engine, client_for, now)
    report.delivery = outbox.deliver(engine, client_for, clock, lease=lease, pacer_for=pacer_for)
    return report


def run_forever(
    engine: Engine,
    client_for: outbox.ClientFor,
    interval: float,
    lease: timedelta,
    pacer_for: Callable[[str], Pacer],
    clock: Callable[[], datetime],
    stop: threading.Event | None = None,
) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set; a failing tick is logged, not fatal.

    Each tick reads ``clock`` once for its decisions. ``pacer_for`` lives as long as the
    worker, so rate limits hold across ticks.
    """
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            tick(engine, client_for, clock(), clock=clock, lease=lease, pacer_for=pacer_for)
        except Exception:
            log.exception("worker tick failed; trying again in %.0f s", interval)
        stop.wait(interval)
