"""A round survives its worker being killed anywhere, and its database going away mid-transaction."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from bot import notify
from bot.clock import utcnow
from bot.jobs.worker import ROUND_STARTS, run_round
from bot.services.rounds import is_due, period_of
from bot.storage.db import transaction
from bot.storage.models import Member, Outbox, Pairing, ProgramSettings, Round
from tests.bot.jobs.conftest import MONDAY, TEAM, seed, tick
from tests.bot.jobs.conftest import client_for as client_for_slack
from tests.bot.jobs.test_delivery import _worker
from tests.conftest import require_postgres

KILLS = 12


def _due_now(engine) -> str:
    """Make this period's round due by the clock the worker process reads (the real one); its period."""
    now = utcnow()
    with transaction(engine) as session:
        settings = session.get(ProgramSettings, TEAM)
        settings.weekday, settings.hour, settings.timezone = now.weekday(), now.hour, "UTC"
        session.add(settings)
    with Session(engine) as session:
        settings = session.get(ProgramSettings, TEAM)
        assert is_due(settings, now)
        return period_of(settings, now)


def _kill(worker, log_path, trigger: str, slack, rng) -> None:
    """SIGKILL the worker: while it starts, after a random while, as its round starts, once the
    round is stored, or once it has posted."""
    deadline, posted = time.monotonic() + 20, len(slack.sent_keys())
    if trigger == "startup":
        time.sleep(0.1)
    if trigger == "random":
        time.sleep(rng.uniform(0.2, 2.5))
    while trigger in ("round", "stored", "posting") and time.monotonic() < deadline:
        if trigger == "round" and ROUND_STARTS in log_path.read_text():
            break
        if trigger == "stored" and " paired " in log_path.read_text():  # logged once it committed
            break
        if trigger == "posting" and len(slack.sent_keys()) > posted:
            break
        time.sleep(0.002)
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def _phase(engine, log_path, slack, round_before: bool, posted_before: int) -> str:
    """Where the kill landed, from what the worker left behind."""
    with Session(engine) as s:
        round_after = s.exec(select(Round)).first() is not None
    if len(slack.sent_keys()) > posted_before:
        return "during delivery"
    if round_after:
        return "after the round"
    return "in the round's transaction" if ROUND_STARTS in log_path.read_text() else "before the round"


@pytest.mark.slow
def test_worker_killed_at_random_points_still_runs_one_round_and_sends_each_message_once(
    engine, slack, tmp_path
):
    seed(engine, mentors=20, mentees=26)
    period = _due_now(engine)
    slack.delay["chat.postMessage"] = 0.05  # delivery spans seconds: kills land inside it
    rng = random.Random(7)
    phases: Counter[str] = Counter()
    # Random kills, and kills aimed at the round's transaction and at delivery.
    triggers = ["startup", "round", "round", "stored", *["random"] * (KILLS - 6), "posting", "posting"]
    for k, trigger in enumerate(triggers):
        log_path = tmp_path / f"worker-{k}.log"
        with Session(engine) as s:
            round_before = s.exec(select(Round)).first() is not None
        posted_before = len(slack.sent_keys())
        if trigger in ("round", "stored") and round_before:  # it won't run again: kill at random instead
            trigger = "random"
        with log_path.open("w") as log:
            worker = _worker(engine, slack, log, SLACK_RATE_SCALE="50")
            _kill(worker, log_path, trigger, slack, rng)
        phases[_phase(engine, log_path, slack, round_before, posted_before)] += 1
    assert {"before the round", "in the round's transaction", "after the round", "during delivery"} <= set(
        phases
    ), phases
    slack.delay.clear()
    worker = _worker(engine, slack, SLACK_RATE_SCALE="50")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(engine) as s:
                due = [r for r in s.exec(select(Outbox)).all() if r.kind != "checkin"]  # check-ins: later
            if any(r.kind == "digest" for r in due) and all(r.status == "sent" for r in due):
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    with Session(engine) as s:
        (rnd,) = s.exec(select(Round)).all()
        pairings = s.exec(select(Pairing)).all()
        due = [r for r in s.exec(select(Outbox)).all() if r.kind != "checkin"]
    assert rnd.period == period and rnd.status == "done", phases
    assert len(pairings) == 20  # every mentor's one slot filled
    assert Counter(r.kind for r in due) == {"intro": 20, "unmatched": 6, "digest": 1}
    assert all(r.status == "sent" for r in due), Counter(r.status for r in due)
    keys = {r.dedupe_key for r in due}
    sent = Counter(k for k in slack.sent_keys() if k in keys)
    assert set(sent) == keys, "a message was lost"
    assert max(sent.values()) == 1, f"sent twice: {[k for k, n in sent.items() if n > 1]}"


def _cluster_ctl() -> list[str]:
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    return ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[0], "main"] if clusters else []


def _terminate_backend(pid: int) -> None:
    """The round's database session dies, as it does when PostgreSQL crashes or is restarted."""
    admin = create_engine(require_postgres())
    with admin.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def _restart_postgres(_pid: int) -> None:
    ctl = _cluster_ctl()
    subprocess.run([*ctl, "restart", "-m", "fast"], check=True, capture_output=True)
    for _ in range(100):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            return
        time.sleep(0.1)


@pytest.mark.parametrize("fault", ["backend killed", "server restarted"])
def test_postgres_failing_mid_round_leaves_no_partial_round(pg_engine, monkeypatch, fault):
    if fault == "server restarted" and not (os.environ.get("MENTORBOT_TEST_PG_RESTART") and _cluster_ctl()):
        pytest.skip("restarts the local PostgreSQL server: set MENTORBOT_TEST_PG_RESTART=1 (CI does)")
    engine = pg_engine
    seed(engine, mentors=5, mentees=5)
    with transaction(engine) as session:  # a pause that ends with this round: its change must roll back too
        member = session.get(Member, (TEAM, "UE000"))
        member.paused, member.paused_until = True, MONDAY
        session.add(member)
    inside, resume = threading.Event(), threading.Event()
    backend: dict[str, int] = {}
    queue = notify.queue

    def queue_then_wait(session, *args, **kwargs):
        queue(session, *args, **kwargs)
        session.flush()  # everything is written but not committed: now the database goes away
        backend["pid"] = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        inside.set()
        resume.wait(30)

    monkeypatch.setattr(notify, "queue", queue_then_wait)
    failure: list[BaseException] = []

    def attempt() -> None:
        try:
            run_round(engine, TEAM, MONDAY)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=attempt)
    thread.start()
    assert inside.wait(30)
    (_terminate_backend if fault == "backend killed" else _restart_postgres)(backend["pid"])
    resume.set()
    thread.join(30)
    assert failure and isinstance(failure[0], DBAPIError), failure

    with Session(engine) as s:
        assert s.exec(select(Round)).all() == []
        assert s.exec(select(Pairing)).all() == []
        assert s.exec(select(Outbox)).all() == []
        assert s.get(Member, (TEAM, "UE000")).paused

    monkeypatch.setattr(notify, "queue", queue)
    outcome = run_round(engine, TEAM, MONDAY)  # the next attempt starts clean and completes
    assert outcome.created and len(outcome.pairs) == 5
    with Session(engine) as s:
        assert len(s.exec(select(Round)).all()) == 1
        assert len(s.exec(select(Pairing)).all()) == 5
        assert not s.get(Member, (TEAM, "UE000")).paused


def test_a_worker_dying_between_round_and_digest_still_gets_the_digest_out(engine, slack):
    seed(engine, mentors=3, mentees=3)
    assert run_round(engine, TEAM, MONDAY).created  # ...and the worker died before the digest
    client_for = client_for_slack(slack)
    tick(engine, client_for, now=MONDAY)
    tick(engine, client_for, now=MONDAY)  # a second pass publishes nothing twice
    with Session(engine) as s:
        digests = [r for r in s.exec(select(Outbox)).all() if r.kind == "digest"]
        (rnd,) = s.exec(select(Round)).all()
    assert len(digests) == 1 and digests[0].status == "sent"
    assert len(slack.of("files.completeUploadExternal")) == 1
    assert rnd.stats["digest"] and rnd.stats["chart"]
