"""Delivery through rate limits, dead users, bad tokens, and a worker killed mid-send."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.delivery import outbox
from bot.delivery.pacing import Pacer
from bot.devtools.fake_slack import Flaky
from bot.jobs.worker import run_round
from bot.rendering.help import plain_reply
from bot.storage.db import transaction
from bot.storage.models import Outbox
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, deliver, seed

ROOT = Path(__file__).resolve().parents[3]


def at_monday():
    return MONDAY


def test_one_conversation_gets_its_messages_in_the_order_they_were_queued(engine, slack):
    seed(engine, mentors=3, mentees=0)
    people = ["UM000", "UM001", "UM002"]
    with transaction(engine) as s:
        for user in people:
            for n in range(6):
                outbox.queue(s, TEAM, f"{user}:{n}", "notice", [user], plain_reply(f"{user} {n}"), MONDAY)
    # Half the DM opens are slow: sent side by side, a later message would overtake a slow earlier one.
    slack.flaky["conversations.open"] = Flaky(seed=3, slow=0.5, delay=0.05)
    pacer = Pacer(scale=60)
    report = deliver(
        engine, client_for(slack), now=at_monday, batch=18, concurrency=4, pacer_for=lambda team: pacer
    )
    assert report.sent == 18
    for user in people:
        assert [m["text"] for m in slack.messages[f"D{user}"]] == [f"{user} {n}" for n in range(6)]
    # The conversations still went out side by side: each began before any of them had finished.
    posts = [call.params["channel"] for call in slack.of("chat.postMessage")]
    first = [posts.index(f"D{user}") for user in people]
    last = [max(i for i, channel in enumerate(posts) if channel == f"D{user}") for user in people]
    assert max(first) < min(last)


def test_rate_limits_are_waited_out(engine, slack):
    seed(engine, mentors=2, mentees=2)
    run_round(engine, TEAM, MONDAY)
    slack.fail_next(
        "chat.postMessage",
        status=429,
        headers={"Retry-After": "1"},
        body={"ok": False, "error": "ratelimited"},
        times=2,
    )
    report = deliver(engine, client_for(slack), now=at_monday)
    assert report.sent == 2 and report.failed == 0
    by_channel: dict[str, list[float]] = {}
    for call in slack.of("chat.postMessage"):
        by_channel.setdefault(call.params["channel"], []).append(call.at)
    assert sorted(len(times) for times in by_channel.values()) == [2, 2]  # each rejected once, then sent
    assert all(times[1] - times[0] >= 0.95 for times in by_channel.values())  # after Retry-After
    assert Counter(slack.sent_keys()) == Counter({k: 1 for k in slack.sent_keys()})


def test_rate_limit_beyond_retries_defers_without_losing(engine, slack):
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    slack.fail_next(
        "chat.postMessage",
        status=429,
        headers={"Retry-After": "0"},
        body={"ok": False, "error": "ratelimited"},
        times=4,
    )
    report = deliver(engine, client_for(slack), now=at_monday)
    # the client's own retries (3) ran out, the row went back to the queue, and came round again
    assert (report.deferred, report.sent, report.failed) == (1, 1, 0)
    assert len(slack.sent_keys()) == 1
    with Session(engine) as s:
        assert s.exec(select(Outbox).where(Outbox.kind == "intro")).one().attempts == 2


def test_a_deactivated_user_fails_alone_and_admins_hear_of_it(engine, slack):
    seed(engine, mentors=3, mentees=3)
    outcome = run_round(engine, TEAM, MONDAY)
    gone = outcome.pairs[0].mentee_id
    slack.deactivated.add(gone)
    report = deliver(engine, client_for(slack), now=at_monday)
    assert report.failed == 1 and report.sent == 3  # two intros + the admin notice
    with Session(engine) as s:
        failed = s.exec(select(Outbox).where(Outbox.status == "failed")).one()
        assert failed.last_error == "user_disabled" and gone in failed.recipients
    (notice,) = slack.messages["CADMIN"]
    assert "could not be delivered" in notice["text"] and "user_disabled" in notice["text"]


def test_a_bad_token_holds_the_queue_instead_of_failing_it(engine, slack):
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    slack.fail_next("conversations.open", body={"ok": False, "error": "invalid_auth"})
    report = deliver(engine, client_for(slack), now=at_monday)
    assert (report.sent, report.failed, report.deferred) == (0, 0, 1)
    with Session(engine) as s:
        row = s.exec(select(Outbox).where(Outbox.kind == "intro")).one()
        assert (row.status, row.attempts) == ("pending", 0)
    assert deliver(engine, client_for(slack), now=at_monday).sent == 1


def posted_before_a_crash(engine, slack) -> tuple[Outbox, str]:
    """The crash window: a round's intro posted to Slack by a worker that died before marking it
    sent. Returns the row and its conversation."""
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    with Session(engine) as s:
        row = s.exec(select(Outbox).where(Outbox.kind == "intro")).one()
    client = client_for(slack)(TEAM)
    channel = client.conversations_open(users=",".join(row.recipients))["channel"]["id"]
    client.chat_postMessage(
        channel=channel,
        text="intro",
        metadata={"event_type": outbox.METADATA_EVENT, "event_payload": {"key": row.dedupe_key}},
    )
    return row, channel


def test_a_send_that_reached_slack_before_a_crash_is_not_repeated(engine, slack):
    """Posted to Slack, never marked sent, lease expired."""
    row, channel = posted_before_a_crash(engine, slack)
    with Session(engine) as s:  # the crashed worker's claim
        claimed = s.get(Outbox, row.id)
        claimed.status, claimed.claimed_at, claimed.channel = "sending", MONDAY, channel
        s.add(claimed)
        s.commit()
    later = MONDAY + outbox.LEASE * 2
    report = deliver(engine, client_for(slack), now=lambda: later)
    assert report.sent == 1
    assert Counter(slack.sent_keys())[row.dedupe_key] == 1


def _worker(engine, slack, log=subprocess.DEVNULL, **env_extra: str):
    """``mentorbot worker`` as a process of its own; its log goes to ``log`` (an open file)."""
    url = engine.url.render_as_string(hide_password=False)
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN="xoxb-test",
        OUTBOX_LEASE_SECONDS="1",
        # Slack's limits, a minute made a second: history lookups after a kill at 1 a second, not a minute.
        **{"SLACK_RATE_SCALE": "60", **env_extra},
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli.app", "worker", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


@pytest.mark.slow
def test_worker_killed_mid_delivery_delivers_every_intro_exactly_once(engine, slack):
    seed(engine, mentors=8, mentees=10)
    run_round(engine, TEAM, MONDAY.replace(year=2026, month=11, day=16))  # last week's round: due now
    with Session(engine) as s:
        expected = {
            r.dedupe_key for r in s.exec(select(Outbox)).all() if not r.dedupe_key.startswith("checkin")
        }
    slack.delay["chat.postMessage"] = 0.3  # each post lands in Slack, then the reply is slow
    for _ in range(3):  # kill it three times, each time while a post is in flight
        worker = _worker(engine, slack)
        before = len(slack.sent_keys())
        deadline = time.monotonic() + 20
        while len(slack.sent_keys()) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    slack.delay.clear()
    worker = _worker(engine, slack)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Session(engine) as s:
                left = [
                    r for r in s.exec(select(Outbox)).all() if r.dedupe_key in expected and r.status != "sent"
                ]
            if not left:
                break
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    sent = Counter(k for k in slack.sent_keys() if k in expected)
    assert set(sent) == expected, "an intro was lost"
    assert max(sent.values()) == 1, f"sent twice: {[k for k, n in sent.items() if n > 1]}"


def test_two_workers_delivering_at_once_send_each_message_once(engine, slack):
    import threading

    seed(engine, mentors=6, mentees=8)
    run_round(engine, TEAM, MONDAY)
    slack.delay["chat.postMessage"] = 0.02  # keep both workers busy at the same time
    reports = []
    start = threading.Barrier(2)

    def worker():
        start.wait()
        reports.append(deliver(engine, client_for(slack), now=at_monday, batch=2, concurrency=2))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as s:
        due = {r.dedupe_key for r in s.exec(select(Outbox)).all() if not r.dedupe_key.startswith("checkin")}
    sent = Counter(slack.sent_keys())
    assert set(sent) == due and max(sent.values()) == 1
    assert sum(r.sent for r in reports) == len(due)
    assert all(r.sent > 0 for r in reports)  # the queue really was shared


def test_server_errors_are_retried_later_and_never_duplicate(engine, slack):
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    slack.fail_next("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"})
    first = deliver(engine, client_for(slack), now=at_monday)
    assert (first.sent, first.deferred, first.failed) == (0, 1, 0)
    with Session(engine) as s:
        row = s.exec(select(Outbox).where(Outbox.kind == "intro")).one()
        assert row.status == "pending" and row.send_after.replace(tzinfo=None) > MONDAY.replace(tzinfo=None)
    later = deliver(engine, client_for(slack), now=lambda: MONDAY + timedelta(minutes=5))
    assert later.sent == 1
    assert Counter(slack.sent_keys())[row.dedupe_key] == 1


def test_a_timed_out_post_that_slack_did_deliver_is_not_sent_again(engine, slack):
    from slack_sdk import WebClient

    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    slack.delay["chat.postMessage"] = 1.5  # Slack posts it, but answers too late
    impatient = WebClient(token="xoxb-test", base_url=slack.api_url, timeout=0.5)
    first = deliver(engine, lambda _t: impatient, now=at_monday)
    assert (first.sent, first.deferred) == (0, 1)
    slack.delay.clear()
    time.sleep(1.2)  # let the slow reply finish inside the fake
    later = deliver(engine, client_for(slack), now=lambda: MONDAY + timedelta(minutes=5))
    assert later.sent == 1
    with Session(engine) as s:
        key = s.exec(select(Outbox).where(Outbox.kind == "intro")).one().dedupe_key
    assert Counter(slack.sent_keys())[key] == 1  # found in the history, not posted twice


def test_a_crashed_send_is_found_in_a_busy_conversation_beyond_the_first_page(engine, slack):
    """The pair talked a lot after the intro went out: the lookup pages back to it, 15 at a time,
    from the row's first claim on, and doesn't post it again."""
    row, channel = posted_before_a_crash(engine, slack)
    client = client_for(slack)(TEAM)
    for k in range(40):  # then the conversation got busy
        client.chat_postMessage(channel=channel, text=f"message {k}")
    with Session(engine) as s:  # the crashed worker's claim
        claimed = s.get(Outbox, row.id)
        claimed.status, claimed.claimed_at, claimed.first_claimed_at = "sending", MONDAY, MONDAY
        claimed.channel = channel
        s.add(claimed)
        s.commit()
    later = MONDAY + outbox.LEASE * 2
    pacer = Pacer(scale=600)  # history at Slack's 1 a minute, a minute made a tenth of a second
    report = deliver(engine, client_for(slack), now=lambda: later, pacer_for=lambda _t: pacer)
    assert report.sent == 1
    assert Counter(slack.sent_keys())[row.dedupe_key] == 1
    pages = slack.of("conversations.history")
    assert len(pages) == 3 and all(int(p.params["limit"]) == 15 for p in pages)
    assert [p.params.get("cursor") for p in pages] == [None, "15", "30"]
    oldest = float(pages[0].params["oldest"])
    assert oldest == (MONDAY - outbox.CLOCK_SKEW).timestamp()  # bounded by the first claim
