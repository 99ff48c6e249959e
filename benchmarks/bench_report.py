"""Admin report on a big, old workspace: 20,000 members and a year of weekly rounds.

Run:  .venv/bin/python -m benchmarks.bench_report [--members 2000 20000]

Seeds PostgreSQL (MENTORBOT_TEST_POSTGRES_URL or the local server) with a
synthetic workspace per size: profiles and skills, 52 weekly rounds with about a
sixth of the mentees newly paired each week, two check-ins and two end-of-term
ratings per pairing. Then times the report (figures + chart PNG) over 12 and 52
weeks, and the CSV export. The smallest size is the baseline the others are
compared with, in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlmodel import Session

from benchmarks.table import show
from bot.catalog import default_catalog
from bot.clock import utcnow
from bot.rendering import chart
from bot.rendering.report import report_message
from bot.services import exports, reports
from bot.services.workspaces import ensure_workspace
from bot.storage.db import make_engine, migrate, transaction
from bot.storage.models import Feedback, Member, MemberSkill, Pairing, Round
from matching.synthetic import random_workspace

TEAM = "TREPORT"
ROUNDS = 52


def postgres() -> str:
    url = os.environ.get("MENTORBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(url).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    return f"{url}?options=-csearch_path%3D{schema}"


def seed(engine, n: int, now: datetime, *, mentee_share: float | None = None, active_weeks: int = 6) -> int:
    """A workspace of ``n`` members and a year of weekly rounds; the pairings of the last
    ``active_weeks`` are still running. Returns how many pairings the year made."""
    rng = random.Random(n)
    ids = {s.name: s.id for s in default_catalog().skills}
    people = random_workspace(n, list(ids), seed=n, mentee_share=mentee_share)
    with transaction(engine) as s:
        ensure_workspace(s, TEAM, now)
    with engine.begin() as conn:
        conn.execute(
            insert(Member),
            [
                {
                    "team_id": TEAM,
                    "user_id": m.id,
                    "name": m.name,
                    "timezone": m.timezone,
                    "role": m.role,
                    "seniority": m.seniority.label,
                    "team": m.team,
                    "manager_id": None,
                    "target_role": m.target_role,
                    "other_goals": "",
                    "mentor_capacity": m.mentor_capacity,
                    "wants_mentor": m.wants_mentor,
                    "open_to_contact": True,
                    "paused": m.paused,
                    "paused_until": None,
                    "created_at": now,
                    "updated_at": now,
                }
                for m in people
            ],
        )
        conn.execute(
            insert(MemberSkill),
            [
                {"team_id": TEAM, "user_id": m.id, "kind": kind, "skill_id": ids[skill], "value": value}
                for m in people
                for kind, skills in (("strength", m.strengths), ("goal", m.goals))
                for skill, value in skills.items()
            ],
        )
    mentors = [m.id for m in people if m.mentor_capacity]
    mentees = [m.id for m in people if m.wants_mentor]
    pairings = 0
    for week in range(ROUNDS):
        started = now - timedelta(weeks=ROUNDS - week)
        with engine.begin() as conn:
            new = max(1, len(mentees) // 6)
            unmatched = {
                u: "nobody offers kaggle yet" for u in rng.sample(mentees, min(len(mentees), new // 4))
            }
            round_id = conn.execute(
                insert(Round).returning(Round.id),
                [
                    {
                        "team_id": TEAM,
                        "period": f"W{week:02d}",
                        "status": "done",
                        "created_at": started,
                        "finished_at": started,
                        "stats": {"pairs": new, "unmatched": unmatched},
                    }
                ],
            ).scalar_one()
            rows = [
                {
                    "team_id": TEAM,
                    "round_id": round_id,
                    "mentor_id": rng.choice(mentors),
                    "mentee_id": rng.choice(mentees),
                    "score": rng.uniform(0.3, 1.1),
                    "reasons": [],
                    "status": "ended" if week < ROUNDS - active_weeks else "active",
                    "started_at": started,
                    "ends_at": started + timedelta(weeks=6),
                }
                for _ in range(new)
            ]
            pairing_ids = conn.execute(insert(Pairing).returning(Pairing.id), rows).scalars().all()
            conn.execute(
                insert(Feedback),
                [
                    {
                        "team_id": TEAM,
                        "pairing_id": pid,
                        "user_id": who,
                        "kind": kind,
                        "created_at": started,
                        "answer": rng.choice(["met", "met", "not_yet"]) if kind == "checkin" else None,
                        "rating": rng.randint(1, 5) if kind == "end" else None,
                        "comment": None,
                    }
                    for pid, row in zip(pairing_ids, rows, strict=True)
                    for who in (row["mentor_id"], row["mentee_id"])
                    for kind in ("checkin", "end")
                ],
            )
            pairings += new
    return pairings


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="*", default=[2000, 20000])
    args = parser.parse_args()
    results = []
    now = utcnow()
    for n in args.members:
        engine = make_engine(postgres())
        migrate(engine)
        pairings = seed(engine, n, now)
        with engine.begin() as conn:  # a live database has statistics; a bulk-loaded one not yet
            conn.execute(text("ANALYZE"))
        with Session(engine) as s:

            def render(weeks: int, s: Session = s) -> None:
                r = reports.build(s, TEAM, now, weeks)
                report_message(r)
                chart.png(r)

            results.append(
                (
                    n,
                    pairings,
                    timed(lambda: render(12)),
                    timed(lambda: render(52)),
                    timed(lambda: reports.build(s, TEAM, now, 52)),
                    timed(lambda: exports.pairings_csv(s, TEAM), 1),
                )
            )
        engine.dispose()
    base = results[0]
    columns = (
        "members",
        "pairings (a year)",
        "report 12 wk s",
        "report 52 wk s",
        "of which figures s",
        "CSV export s",
        "52 wk vs baseline",
    )
    rows = [
        [
            f"{n:,}",
            f"{pairings:,}",
            f"{r12:.2f}",
            f"{r52:.2f}",
            f"{fig:.2f}",
            f"{csv_s:.2f}",
            f"{r52 / base[3]:.1f}x",
        ]
        for n, pairings, r12, r52, fig, csv_s in results
    ]
    show("admin report on PostgreSQL (best of 3)", columns, rows)


if __name__ == "__main__":
    main()
