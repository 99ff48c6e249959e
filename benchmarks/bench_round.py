"""The bot's weekly round on a big workspace: engine inputs from the database, matching,
storing the pairs and queuing their messages, in one transaction.

Run:  .venv/bin/python -m benchmarks.bench_round [--members 2000 20000] [--databases sqlite postgresql]

Seeds each database with a mentee-heavy workspace (two thirds of the members want a
mentor) and a year of weekly rounds whose pairings have all ended (so every member
takes part, as at the start of a term), then runs one real ``run_round``. The split
comes from timing the round's own steps where it calls them (nothing is stubbed):
``match_inputs``, ``match``, ``pairings.store`` and ``notify.queue`` (rendering and
inserting the messages the round's notices ask for); "other"
is the rest of the round (ending terms, no-show pauses, the round row) and the
commit. Each round runs in its own process (peak MB is that process's whole RSS, the
seeding included). The smallest size on each database is the baseline the others
are compared with, in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, select

from benchmarks.bench_report import TEAM, postgres, seed
from benchmarks.table import show
from bot import notify
from bot.clock import utcnow
from bot.jobs.worker import run_round
from bot.services import pairings, rounds
from bot.storage.db import make_engine, migrate
from bot.storage.models import Outbox

STEPS = {  # column -> (module, function) the round calls
    "inputs s": (rounds, "match_inputs"),
    "match s": (rounds, "match"),
    "store s": (pairings, "store"),
    "queue s": (notify, "queue"),
}


@contextmanager
def timed_steps() -> Iterator[dict[str, float]]:
    """Time each of :data:`STEPS` wherever the round calls it, for the duration of the block."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(module, attr) for name, (module, attr) in STEPS.items()}

    def timing(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    for name, (module, attr) in STEPS.items():
        setattr(module, attr, timing(name, originals[name]))
    try:
        yield spent
    finally:
        for name, (module, attr) in STEPS.items():
            setattr(module, attr, originals[name])


def one_round(url: str, n: int) -> dict[str, Any]:
    """Seed ``n`` members at ``url`` and run one round there; its figures (run in a child process)."""
    engine = make_engine(url)
    migrate(engine)
    now = utcnow()
    seed(engine, n, now - timedelta(weeks=7), mentee_share=2 / 3, active_weeks=0)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # a live database has statistics; a bulk-loaded one not yet
            conn.execute(text("ANALYZE"))
    with timed_steps() as spent:
        start = time.perf_counter()
        outcome = run_round(engine, TEAM, now)
        total = time.perf_counter() - start
    with Session(engine) as s:
        queued = s.exec(select(func.count()).select_from(Outbox).where(Outbox.team_id == TEAM)).one()
    engine.dispose()
    return {
        "pairs": len(outcome.pairs),
        "unmatched": len(outcome.unmatched),
        "queued": queued,
        "total": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **spent,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="*", default=[2000, 20000])
    parser.add_argument("--databases", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--child", nargs=2, metavar=("URL", "MEMBERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_round(args.child[0], int(args.child[1]))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for database in args.databases:
            base = None
            for n in args.members:
                url = postgres() if database == "postgresql" else f"sqlite:///{Path(folder)}/round-{n}.db"
                child = [sys.executable, "-m", "benchmarks.bench_round", "--child", url, str(n)]
                r = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
                base = base or r["total"]
                other = r["total"] - sum(r[name] for name in STEPS)
                rows.append(
                    [
                        database,
                        f"{n:,}",
                        f"{r['pairs']:,}",
                        f"{r['unmatched']:,}",
                        f"{r['queued']:,}",
                        *(f"{r[name]:.2f}" for name in STEPS),
                        f"{other:.2f}",
                        f"{r['total']:.2f}",
                        f"{r['peak_mb']:.0f}",
                        f"{r['total'] / base:.1f}x",
                    ]
                )
    columns = ["database", "members", "pairs", "unmatched", "messages queued", *STEPS, "other s", "round s"]
    show("weekly round, end to end", [*columns, "peak MB", "vs smallest"], rows)


if __name__ == "__main__":
    main()
