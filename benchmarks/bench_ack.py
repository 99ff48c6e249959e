"""Time to acknowledge signed Slack requests under concurrency, on the Procfile's web server and PostgreSQL.

Run:  .venv/bin/python -m benchmarks.bench_ack [--seconds 8] [--think-ms 500] [--outage]
Needs `wrk` (Debian: `apt-get install wrk`).

Starts the Procfile's `web` line (gunicorn) on a fresh PostgreSQL schema with a
fake Slack, then drives it with wrk, a compiled load generator, so that the
clients take little of the 2 cores the server needs. The requests are real,
signed Slack payloads in a fixed mix: `/mentor status`, `/mentor find sql`,
`/mentor help` and profile-modal submissions (each one saves a profile and then
calls Slack three times). For 10, 50 and 200 open connections it measures twice:

- capacity: each connection sends its next request as soon as the last is
  answered, so the server is saturated and, by Little's law, the time to answer
  is the number of connections divided by the throughput;
- paced: each connection pauses a random time between requests (0 to 1 s, like
  a person clicking; 50 connections then send about 100 requests a second, far
  more than a mentoring program's members do), and the table gives p50/p95/p99
  time to acknowledge.

The baseline, in the same run and on the same server, is `GET /healthz` (one
database query, no Slack processing) under the same load shape.

With --outage, PostgreSQL is stopped for 3 s during a 50-connection run and
started again: the table counts polite "try again" answers and errors, and the
time until answers were normal again, without restarting the server.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.table import show
from bot.catalog import default_catalog
from bot.devtools.demo import modal_values
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import (
    FORM,
    SECRET,
    command_body,
    http,
    interaction_body,
    signed_headers,
    view_submission,
)
from matching.synthetic import random_workspace

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("wrk_signed.lua")
PORT = 3931
PG = os.environ.get("MENTORBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEAM = "T1"
#: One cycle of the request mix: mostly reads, a third of them profile saves.
MIX = ("status", "find sql", "submit", "help", "status", "submit")


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int  # connection errors and timeouts
    bad_status: int  # a status other than 200, or an unexpected error answered
    try_again: int  # a polite "try again" answer (the database is unreachable)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def write_requests(path: Path, users: int = 300) -> None:
    """Freshly signed requests (Slack refuses signatures older than 5 minutes), one per line."""
    people = random_workspace(users, default_catalog().names(), seed=3)
    with path.open("w") as out:
        for k, member in enumerate(people):
            kind = MIX[k % len(MIX)]
            if kind == "submit":
                body = interaction_body(view_submission(modal_values(member), user=member.id, team=TEAM))
            else:
                body = command_body(kind, user=member.id, team=TEAM)
            headers = signed_headers(body, FORM)
            out.write(f"{headers['X-Slack-Request-Timestamp']}\t{headers['X-Slack-Signature']}\t{body}\n")


def wrk(connections: int, seconds: float, requests: Path | None, think_ms: float = 0) -> Result:
    """One wrk run; ``requests=None`` measures the /healthz baseline.

    With ``think_ms`` each connection pauses a random time (mean ``think_ms``)
    between requests, as a person would; without it, it sends the next request
    as soon as the last is answered, which measures the server's capacity.
    """
    args = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
    ]
    target = f"http://127.0.0.1:{PORT}/"
    out = subprocess.run(
        [*args, target, "--", str(requests or "-"), str(think_ms)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"^RESULT (.*)$", out, re.M)
    if not found:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    n, secs, p50, p95, p99, errors, bad, polite = found.group(1).split()
    return Result(int(n), float(secs), float(p50), float(p95), float(p99), int(errors), int(bad), int(polite))


def web_command() -> str:
    """The Procfile's web line: the benchmark measures exactly what production runs."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise RuntimeError("Procfile has no web line")


def start_server(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        ["bash", "-c", f"exec {web_command()}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            if http("GET", f"http://127.0.0.1:{PORT}/healthz").status_code == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the web server did not come up")


@dataclass(frozen=True)
class Level:
    connections: int
    capacity: Result  # no think time: as fast as the server answers
    capacity_base: Result
    paced: Result  # people: a random pause between requests
    paced_base: Result


def table(levels: list[Level], think_ms: float) -> None:
    columns = (
        "connections",
        "capacity req/s",
        "vs healthz",
        "capacity p99 ms",
        "paced req/s",
        "paced p50 ms",
        "paced p95 ms",
        "paced p99 ms",
        "healthz paced p99 ms",
        "not ok",
    )
    lines = [
        (
            str(lv.connections),
            f"{lv.capacity.rate:.0f}",
            f"{lv.capacity.rate / lv.capacity_base.rate:.2f}x",
            f"{lv.capacity.p99:.0f}",
            f"{lv.paced.rate:.0f}",
            f"{lv.paced.p50:.1f}",
            f"{lv.paced.p95:.1f}",
            f"{lv.paced.p99:.1f}",
            f"{lv.paced_base.p99:.1f}",
            str(sum(r.errors + r.bad_status + r.try_again for r in (lv.capacity, lv.paced))),
        )
        for lv in levels
    ]
    show(
        f"acknowledging signed Slack requests (Procfile web, PostgreSQL, wrk; paced: {think_ms:.0f} ms "
        "mean pause per connection)",
        columns,
        lines,
        width=180,
    )


def outage(seconds: float, requests: Path) -> None:
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main"]
    marks: dict[str, float] = {}

    def cut() -> None:
        time.sleep(seconds / 2)
        marks["down"] = time.monotonic()
        subprocess.run([*ctl, "stop", "-m", "fast"], check=True)
        time.sleep(3)
        subprocess.run([*ctl, "start"], check=True)
        marks["up"] = time.monotonic()

    cutter = threading.Thread(target=cut)
    cutter.start()
    write_requests(requests)
    during = wrk(50, seconds * 2, requests)
    cutter.join()
    recovered = None
    while recovered is None:
        probe = http("POST", f"http://127.0.0.1:{PORT}/slack/events", *_probe())
        if probe.status_code == 200 and "try again" not in probe.text:
            recovered = time.monotonic() - marks["up"]
        else:
            time.sleep(0.05)
    print(
        f"\nPostgreSQL down for {marks['up'] - marks['down']:.1f} s during {seconds * 2:.0f} s at 50 "
        f"connections: {during.requests} answers, {during.try_again} polite 'try again', "
        f"{during.bad_status} failures, {during.errors} connection errors or timeouts, "
        f"p99 {during.p99:.0f} ms; answers normal again "
        f"{recovered:.2f} s after PostgreSQL was back (no server restart)"
    )


def _probe() -> tuple[bytes, dict[str, str]]:
    body = command_body("status", user="UPROBE", team=TEAM)
    return body.encode(), signed_headers(body, FORM)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--outage", action="store_true")
    parser.add_argument("--think-ms", type=float, default=500, help="mean pause per connection when paced")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_ack needs wrk: apt-get install wrk")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(PG).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    db = f"{PG}?options=-csearch_path%3D{schema}"
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        requests = Path(tmp) / "requests.tsv"
        for member in random_workspace(300, default_catalog().names(), seed=3):
            slack.add_user(member.id, member.name, member.timezone, team_id=TEAM)
        env = dict(
            os.environ,
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            DATABASE_URL=db,
            SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            PORT=str(PORT),
        )
        subprocess.run(
            [sys.executable, "-m", "bot.cli.app", "migrate"], env=env, check=True, capture_output=True
        )
        server = start_server(env)
        try:
            write_requests(requests)
            wrk(10, 2, requests)  # warm up: connections pooled, first profiles saved
            levels = []
            for connections in (10, 50, 200):
                capacity_base = wrk(connections, args.seconds, None)
                write_requests(requests)
                capacity = wrk(connections, args.seconds, requests)
                paced_base = wrk(connections, args.seconds, None, args.think_ms)
                write_requests(requests)
                paced = wrk(connections, args.seconds, requests, args.think_ms)
                levels.append(Level(connections, capacity, capacity_base, paced, paced_base))
            table(levels, args.think_ms)
            if args.outage:
                outage(args.seconds, requests)
        finally:
            server.terminate()
            server.wait(timeout=20)
            with create_engine(PG).begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
