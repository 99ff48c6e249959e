"""Exactly once when a worker is slow, not dead: a claim is only ever acted on by its holder.

Two workers share the queue against a Slack that answers some posts 429 with a Retry-After
longer than the lease, some 5xx (half of those after posting) and some slowly. A worker waiting
out a Retry-After keeps its claims (the heartbeat); one that stalls past the lease loses them,
and then neither posts nor writes over the row that another worker now holds.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.delivery import outbox
from bot.delivery.pacing import Pacer
from bot.devtools.fake_slack import Flaky
from bot.jobs.worker import run_round
from bot.storage.models import Outbox
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, seed

LEASE = timedelta(seconds=1)


def moving_clock():
    """Starts at MONDAY and runs at the pace of real time (no date of its own)."""
    start = time.monotonic()
    return lambda: MONDAY + timedelta(seconds=time.monotonic() - start)


def due_keys(engine) -> set[str]:
    with Session(engine) as s:
        return {r.dedupe_key for r in s.exec(select(Outbox)) if r.kind != "checkin"}


@pytest.mark.slow
@pytest.mark.parametrize("run", range(6))
def test_two_workers_against_a_slow_rate_limiting_slack_send_each_message_once(engine, slack, run):
    seed(engine, mentors=8, mentees=10)
    run_round(engine, TEAM, MONDAY)
    expected = due_keys(engine)
    # Retry-After (2 s) is twice the lease: waiting it out in place must not cost the claim.
    slack.flaky["chat.postMessage"] = Flaky(
        run, rate_limited=0.3, retry_after=2, server_errors=0.15, slow=0.3, delay=0.3
    )
    clock, deadline = moving_clock(), time.monotonic() + 90
    reports: list[outbox.DeliveryReport] = []

    def worker() -> None:
        pacers: dict[str, Pacer] = {}  # Slack's limits, a minute made a second (history: 1 a second)
        while time.monotonic() < deadline:
            report = outbox.deliver(
                engine,
                client_for(slack),
                now=clock,
                lease=LEASE,
                pacer_for=lambda team: pacers.setdefault(team, Pacer(scale=60)),
            )
            reports.append(report)
            with Session(engine) as s:
                if all(r.status in ("sent", "failed") for r in s.exec(select(Outbox)) if r.kind != "checkin"):
                    return
            time.sleep(0.05)

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert slack.rejected["chat.postMessage"] > 0, "no 429 was answered: the case under test didn't happen"
    sent = Counter(k for k in slack.sent_keys() if k in expected)
    assert set(sent) == expected, "a message was lost"
    assert max(sent.values()) == 1, f"sent twice: {[k for k, n in sent.items() if n > 1]}"
    with Session(engine) as s:
        assert {r.dedupe_key for r in s.exec(select(Outbox)) if r.status == "sent"} >= expected


def test_a_worker_that_stalls_past_its_lease_neither_posts_nor_overwrites(engine, slack):
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    (key,) = due_keys(engine)
    stalled, resume = threading.Event(), threading.Event()

    class StallingPacer(Pacer):
        """Stalls right before the first post, as a paused or overloaded process would."""

        def wait(self, method: str, channel: str | None = None) -> None:
            if method == "chat.postMessage" and not stalled.is_set():
                stalled.set()
                resume.wait(20)
            super().wait(method, channel)

    first: list[outbox.DeliveryReport] = []
    # Worker A's clock stands still, so its heartbeat can't keep the claim from lapsing for B.
    pacer = StallingPacer()
    a = threading.Thread(
        target=lambda: first.append(
            outbox.deliver(engine, client_for(slack), now=lambda: MONDAY, pacer_for=lambda _t: pacer)
        )
    )
    a.start()
    assert stalled.wait(10)
    second = outbox.deliver(engine, client_for(slack), now=lambda: MONDAY + 3 * LEASE, lease=LEASE)
    assert second.sent == 1  # B took the lapsed claim over, found nothing in history, posted
    with Session(engine) as s:
        row = s.exec(select(Outbox).where(Outbox.dedupe_key == key)).one()
        posted_by_b = (row.status, row.slack_ts)
    resume.set()
    a.join(20)
    assert (first[0].sent, first[0].taken_over) == (0, 1)
    assert Counter(slack.sent_keys())[key] == 1
    with Session(engine) as s:  # A's way out wrote nothing over B's row
        row = s.exec(select(Outbox).where(Outbox.dedupe_key == key)).one()
        assert (row.status, row.slack_ts) == posted_by_b == ("sent", row.slack_ts)
