"""A small program history with hand-computed report figures (see test_reports.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.storage.db import transaction
from bot.storage.models import Feedback, Outbox, Pairing, ProgramSettings, Round
from tests.factories import join, profile_form
from tests.moments import MONDAY

TEAM = "T1"


def person(engine, user, *, capacity=0, strengths=None, goals=None, paused=False, seniority="junior"):
    form = profile_form(
        role="data scientist",
        seniority=seniority,
        team="",
        strengths=strengths or {},
        goals=goals or {},
        mentor_capacity=capacity,
        wants_mentor=bool(goals),
    )
    join(engine, TEAM, user, form, paused=paused)


def seed_history(engine, now=MONDAY) -> None:
    person(engine, "UM1", capacity=2, strengths={"sql": 5}, seniority="senior")
    person(engine, "UM2", capacity=1, strengths={"python": 4, "sql": 4}, seniority="senior")
    person(engine, "UM3", capacity=3, strengths={"kaggle": 5}, paused=True, seniority="staff")
    person(engine, "UE1", goals={"sql": 3, "kaggle": 2})
    person(engine, "UE2", goals={"kaggle": 3})
    person(engine, "UE3", goals={"python": 2})
    person(engine, "UB", capacity=1, strengths={"documentation": 3}, goals={"sql": 1}, seniority="mid")
    person(engine, "UP", goals={"kaggle": 1}, paused=True)
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.admin_channel = "CADMIN"
        s.add(settings)
        a = Round(
            team_id=TEAM,
            period="2026-W46",
            status="done",
            created_at=now - timedelta(weeks=2),
            stats={
                "pairs": 2,
                "unmatched": {"UE2": "nobody offers kaggle yet"},
                "causes": {"UE2": "nobody-offers"},
            },
        )
        b = Round(
            team_id=TEAM,
            period="2026-W47",
            status="done",
            created_at=now - timedelta(weeks=1),
            stats={
                "pairs": 1,
                "unmatched": {
                    "UE2": "nobody offers kaggle yet",
                    "UB": "the 1 mentor who could mentor you in sql is at capacity this round",
                },
                "causes": {"UE2": "nobody-offers", "UB": "at-capacity"},
            },
        )
        s.add_all([a, b])
        s.flush()
        p1 = Pairing(
            team_id=TEAM,
            round_id=a.id,
            started_at=a.created_at,
            mentor_id="UM1",
            mentee_id="UE1",
            score=0.8,
            status="ended_early",
        )
        p2 = Pairing(
            team_id=TEAM, round_id=a.id, started_at=a.created_at, mentor_id="UM2", mentee_id="UE3", score=0.6
        )
        p3 = Pairing(
            team_id=TEAM, round_id=b.id, started_at=b.created_at, mentor_id="UM1", mentee_id="UB", score=0.5
        )
        s.add_all([p1, p2, p3])
        s.flush()
        checkins = [(p1, "UE1", "not_working"), (p1, "UM1", "met"), (p2, "UE3", "not_yet"), (p3, "UB", "met")]
        s.add_all(
            Feedback(team_id=TEAM, pairing_id=p.id, user_id=u, kind="checkin", answer=a, created_at=now)
            for p, u, a in checkins
        )
        s.add_all(
            [
                Feedback(
                    team_id=TEAM,
                    pairing_id=p1.id,
                    user_id="UE1",
                    kind="end",
                    rating=4,
                    comment="Helpful",
                    created_at=now - timedelta(days=3),
                ),
                Feedback(
                    team_id=TEAM,
                    pairing_id=p1.id,
                    user_id="UM1",
                    kind="end",
                    rating=2,
                    comment="Busy",
                    created_at=now - timedelta(days=2),
                ),
                Outbox(
                    team_id=TEAM,
                    dedupe_key="intro:gone",
                    kind="intro",
                    recipients=["UX"],
                    status="failed",
                    send_after=now,
                    created_at=now,
                ),
            ]
        )
