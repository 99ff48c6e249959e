"""Members for circles tests: each teaches one skill and wants to learn another."""

from __future__ import annotations

from bot.domain import ProfileForm
from bot.services import profiles
from tests.bot.jobs.conftest import TEAM
from tests.moments import MONDAY


def join(engine, user: str, seniority: str, teach: str, learn: str, tz: str = "Europe/London") -> None:
    profiles.save(
        engine,
        TEAM,
        user,
        ProfileForm(
            role="data scientist",
            seniority=seniority,
            team=f"team {user}",
            strengths={teach: 5},
            goals={learn: 3},
        ),
        name=user.title(),
        timezone=tz,
        now=MONDAY,
    )
