"""Members for tests, built in one place and stored through the real profile service.

``join`` is what a member's profile modal does (one transaction, ``profiles.save``); the
form builders give a complete form with any field overridden. ``committed`` runs one service
call in its own transaction, as an entry point would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from bot.domain import ProfileForm
from bot.services import participation, profiles
from bot.storage.db import transaction
from tests.moments import MONDAY

T = TypeVar("T")


def committed(engine: Engine, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``service(session, *args, **kwargs)`` in a transaction of its own, committed on return."""
    with transaction(engine) as session:
        return service(session, *args, **kwargs)


def profile_form(**fields: Any) -> ProfileForm:
    """A full form: a senior data engineer on Platform who mentors two and wants to learn
    stakeholder management. Any field can be overridden."""
    base: dict[str, Any] = dict(
        role="data engineer",
        seniority="senior",
        team="Platform",
        strengths={"sql": 5, "data-pipelines": 4},
        goals={"stakeholder-management": 3},
        mentor_capacity=2,
        wants_mentor=True,
    )
    return ProfileForm(**{**base, **fields})


def mentor_form(skills: dict[str, int], capacity: int = 1, **fields: Any) -> ProfileForm:
    """Someone who only mentors: strong at ``skills`` (skill to level), with ``capacity`` places."""
    return profile_form(strengths=skills, goals={}, mentor_capacity=capacity, wants_mentor=False, **fields)


def mentee_form(goals: dict[str, int], **fields: Any) -> ProfileForm:
    """Someone who only wants a mentor, for ``goals`` (skill to priority)."""
    fields = {"role": "data analyst", "seniority": "junior", **fields}
    return profile_form(strengths={}, goals=goals, mentor_capacity=0, wants_mentor=True, **fields)


def join(
    engine: Engine,
    team_id: str,
    user_id: str,
    form: ProfileForm,
    *,
    name: str | None = None,
    timezone: str = "UTC",
    now: datetime = MONDAY,
    paused: bool = False,
    slack_locale: str = "",
) -> None:
    """Store ``user_id``'s profile (named after the id unless ``name``), paused if asked."""
    with transaction(engine) as session:
        profiles.save(
            session,
            team_id,
            user_id,
            form,
            name=name or user_id.title(),
            timezone=timezone,
            now=now,
            slack_locale=slack_locale,
        )
        if paused:
            participation.pause(session, team_id, user_id, None, now)
