"""Deliver a 5,000-member round's messages through a fake Slack that enforces the rate limits.

Run:  .venv/bin/python -m benchmarks.bench_delivery [--members 5000] [--scale 100]

Slack's limits (conversations.open Tier 3 = 50/min, chat.postMessage about 1/s per
channel, each with a short burst) are enforced by the fake Slack, sped up by one
factor ``--scale`` for all of them, and the worker paces itself with the same
scaled limits. The floor is the time those limits impose on the calls that were
made: (calls - burst) x interval for the busiest method. The table compares the
measured time with that floor, and checks every message arrived exactly once.
Uses PostgreSQL when MENTORBOT_TEST_POSTGRES_URL or a local server is available,
else SQLite.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from benchmarks.table import show
from bot.catalog import default_catalog
from bot.delivery import outbox
from bot.delivery.pacing import LIMITS, Pacer
from bot.devtools.fake_slack import FakeSlack
from bot.jobs.worker import run_round
from bot.services.workspaces import ensure_workspace
from bot.storage.db import make_engine, migrate, transaction
from bot.storage.models import Member, MemberSkill, Outbox
from matching.synthetic import random_workspace

TEAM = "TBENCH"
MONDAY = datetime(2026, 11, 23, 11, tzinfo=UTC)


def database() -> tuple[str, str]:
    url = os.environ.get("MENTORBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        admin = create_engine(url, connect_args={"connect_timeout": 2})
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        return f"{url}?options=-csearch_path%3D{schema}", "PostgreSQL"
    except Exception:
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db", "SQLite"


def seed(engine, members: int) -> None:
    ids = {s.name: s.id for s in default_catalog().skills}
    people = random_workspace(members, list(ids), seed=members)
    with transaction(engine) as session:
        ensure_workspace(session, TEAM, now=MONDAY)
        for m in people:
            session.add(
                Member(
                    team_id=TEAM,
                    user_id=m.id,
                    name=m.name,
                    timezone=m.timezone,
                    role=m.role,
                    seniority=m.seniority.label,
                    team=m.team,
                    target_role=m.target_role,
                    mentor_capacity=m.mentor_capacity,
                    wants_mentor=m.wants_mentor,
                    paused=m.paused,
                    created_at=MONDAY,
                    updated_at=MONDAY,
                )
            )
        session.flush()
        for m in people:
            session.add_all(
                [
                    MemberSkill(team_id=TEAM, user_id=m.id, kind="strength", skill_id=ids[s], value=v)
                    for s, v in m.strengths.items()
                ]
            )
            session.add_all(
                [
                    MemberSkill(team_id=TEAM, user_id=m.id, kind="goal", skill_id=ids[s], value=v)
                    for s, v in m.goals.items()
                ]
            )


def floor_seconds(calls: Counter, scale: float) -> tuple[float, str]:
    """The least time the limits allow for these calls, and the method that sets it."""
    best = (0.0, "-")
    for method, n in calls.items():
        if method in LIMITS:
            rate, burst = LIMITS[method]
            seconds = max(0, n - burst) * 60.0 / (rate * scale)
            best = max(best, (seconds, method))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--scale", type=float, default=100.0)
    args = parser.parse_args()
    url, kind = database()
    engine = make_engine(url)
    migrate(engine)
    seed(engine, args.members)
    started = time.perf_counter()
    outcome = run_round(engine, TEAM, MONDAY)
    round_seconds = time.perf_counter() - started
    with Session(engine) as s:
        due = [
            r.dedupe_key for r in s.exec(select(Outbox)).all() if r.kind != "checkin"
        ]  # check-ins wait days
    with FakeSlack() as slack:
        slack.enforce(dict(LIMITS), scale=args.scale)
        client = WebClient(
            token="xoxb-bench",
            base_url=slack.api_url,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
        )
        pacer = Pacer(scale=args.scale)
        started = time.perf_counter()
        report = outbox.deliver(engine, lambda _t: client, lambda: MONDAY, pacer_for=lambda _t: pacer)
        seconds = time.perf_counter() - started
        calls = Counter(c.method for c in slack.calls)
        sent = Counter(slack.sent_keys())
        rejected = sum(slack.rejected.values())
    floor, binding = floor_seconds(calls, args.scale)
    expected = set(due)
    columns = (
        "pairs",
        "messages",
        "conversations.open",
        "chat.postMessage",
        "deliver s",
        "floor s",
        "binding limit",
        "deliver / floor",
        "duplicates",
        "lost",
        "429s",
        "round s",
    )
    row = [
        f"{len(outcome.pairs):,}",
        f"{report.sent:,}",
        f"{calls['conversations.open']:,}",
        f"{calls['chat.postMessage']:,}",
        f"{seconds:.1f}",
        f"{floor:.1f}",
        binding,
        f"{seconds / floor:.2f}x" if floor else "-",
        str(sum(n - 1 for n in sent.values() if n > 1)),
        str(len(expected - set(sent))),
        str(rejected),
        f"{round_seconds:.1f}",
    ]
    show(f"delivery of one round, {args.members:,} members, {kind}, limits x{args.scale:g}", columns, [row])


if __name__ == "__main__":
    main()
