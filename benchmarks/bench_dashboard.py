"""The admin dashboard's pages: server time per page on a big workspace with a year of rounds.

Run:  .venv/bin/python -m benchmarks.bench_dashboard [--members 2000 20000]

Seeds PostgreSQL as ``bench_report`` does (a year of weekly rounds and their pairings and
feedback), signs a program admin in, and times each page's whole request through the real
WSGI app in-process (routing, queries, template; no network), best of 3. The smallest size
is the baseline the others are compared with, in the same run. Issue 17's target: under
300 ms of server time per page at 20,000 members.
"""

from __future__ import annotations

import argparse

from sqlalchemy import text

from benchmarks.bench_report import TEAM, postgres, seed, timed
from benchmarks.table import show
from bot.clock import SetClock, utcnow
from bot.config import Settings
from bot.slack_clients import client_factory
from bot.storage.db import make_engine, migrate
from bot.web.dashboard import dashboard_app

#: Every page; the Pairs page also with a health filter (which judges every matching pairing).
PAGES = ("/", "/pairs", "/pairs?health=on+track", "/members", "/rounds", "/skills", "/delivery", "/settings")


def page_times(n: int) -> dict[str, float]:
    engine = make_engine(postgres())
    migrate(engine)
    now = utcnow()
    seed(engine, n, now)
    with engine.begin() as conn:  # a live database has statistics; a bulk-loaded one not yet
        conn.execute(text("ANALYZE"))
    settings = Settings(
        slack_signing_secret="bench",
        slack_bot_token="xoxb-bench",
        slack_client_id="C",
        slack_client_secret="S",
    )
    app = dashboard_app(settings, engine, client_factory(settings, engine), SetClock(now))
    client = app.test_client()
    with client.session_transaction() as session:  # signed in, as the OpenID callback leaves it
        session.update(user="UADMIN", team=TEAM, name="Admin", csrf="bench")

    def get(path: str) -> None:
        reply = client.get(path)
        assert reply.status_code == 200, (path, reply.status_code)

    times = {path: timed(lambda path=path: get(path)) for path in PAGES}
    engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="*", default=[2000, 20000])
    args = parser.parse_args()
    results = [(n, page_times(n)) for n in args.members]
    base = results[0][1]
    columns = ("members", *(f"{p} ms" for p in PAGES), "slowest vs baseline")
    rows = [
        [
            f"{n:,}",
            *(f"{times[p] * 1000:.0f}" for p in PAGES),
            f"{max(times.values()) / max(base.values()):.1f}x",
        ]
        for n, times in results
    ]
    show("dashboard pages, server time on PostgreSQL (best of 3)", columns, rows)


if __name__ == "__main__":
    main()
