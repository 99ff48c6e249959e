"""Members for circles tests: each teaches one skill and wants to learn another."""

from __future__ import annotations

from tests.bot.jobs.conftest import TEAM
from tests.factories import join as store
from tests.factories import profile_form


def join(engine, user: str, seniority: str, teach: str, learn: str, tz: str = "Europe/London") -> None:
    form = profile_form(
        role="data scientist",
        seniority=seniority,
        team=f"team {user}",
        strengths={teach: 5},
        goals={learn: 3},
        mentor_capacity=0,
        wants_mentor=False,
    )
    store(engine, TEAM, user, form, timezone=tz)
