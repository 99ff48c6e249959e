"""Seeded random workspaces that look like a real data/ML organisation.

Used by the benchmarks and the demo. Demand and supply are deliberately skewed
differently (juniors want the fashionable skills, seniors are strong in the
unglamorous ones), so that instances have real competition and real gaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matching.profile import Member, PastPairing, Seniority

DATA_ROLES = (
    "data analyst",
    "data scientist",
    "data engineer",
    "machine learning engineer",
    "data infrastructure engineer",
    "dataops engineer",
)
OTHER_ROLES = ("software engineer", "product manager")

#: (zone, share of members)
TIMEZONES = (
    ("Europe/London", 0.15),
    ("Europe/Berlin", 0.15),
    ("America/New_York", 0.15),
    ("America/Chicago", 0.05),
    ("America/Los_Angeles", 0.12),
    ("America/Sao_Paulo", 0.05),
    ("Africa/Lagos", 0.05),
    ("Asia/Kolkata", 0.10),
    ("Asia/Singapore", 0.08),
    ("Asia/Shanghai", 0.05),
    ("Australia/Sydney", 0.05),
)

_SENIORITY_SHARE = (0.10, 0.25, 0.30, 0.25, 0.10)
_WANTS_MENTOR = (0.9, 0.85, 0.6, 0.3, 0.1)
_MENTORS = (0.0, 0.1, 0.4, 0.8, 0.8)

FIRST = (
    "Ana",
    "Bo",
    "Chen",
    "Dara",
    "Emeka",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rui",
    "Sara",
    "Tomas",
    "Uma",
    "Vik",
    "Wen",
    "Xavi",
    "Yara",
    "Zed",
)
LAST = (
    "Alvarez",
    "Brown",
    "Costa",
    "Dubois",
    "Eze",
    "Fischer",
    "Gupta",
    "Hart",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Park",
    "Rossi",
    "Silva",
    "Tan",
    "Weber",
)


def _popularity(k: int, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / (np.arange(k) + 4.0)
    return rng.permutation(weights / weights.sum())


def random_workspace(
    n: int, skills: Sequence[str], seed: int = 0, mentee_share: float | None = None
) -> list[Member]:
    """``n`` members with varied roles, levels, strengths, goals and time zones.

    By default juniors ask for a mentor far more often than seniors (about half of
    all members do); ``mentee_share`` makes every level ask with that probability
    instead (``2 / 3``: a mentee-heavy program).
    """
    rng = np.random.default_rng(seed)
    skills = list(skills)
    supply = _popularity(len(skills), rng)
    demand = _popularity(len(skills), rng)
    zones, zone_p = zip(*TIMEZONES, strict=True)
    zone_p = np.asarray(zone_p) / sum(zone_p)
    teams = [f"team {k:03d}" for k in range(max(2, n // 25))]
    roles = DATA_ROLES + OTHER_ROLES

    seniority = rng.choice(5, size=n, p=_SENIORITY_SHARE)
    seniors = np.flatnonzero(seniority >= Seniority.SENIOR)
    members = []
    for k in range(n):
        level = int(seniority[k])
        own = rng.choice(len(skills), size=int(rng.integers(2, 4 + level)), replace=False, p=supply)
        strengths = {skills[s]: int(np.clip(1 + level + rng.integers(-1, 2), 1, 5)) for s in own}
        wanted = rng.choice(len(skills), size=int(rng.integers(1, 5)), replace=False, p=demand)
        goals = {skills[s]: int(rng.integers(1, 4)) for s in wanted if skills[s] not in strengths}
        mentoring = rng.random() < _MENTORS[level]
        manager = None
        if len(seniors) and rng.random() < 0.3:
            boss = int(rng.choice(seniors))
            manager = f"U{boss:06d}" if boss != k else None
        members.append(
            Member(
                id=f"U{k:06d}",
                name=f"{FIRST[k % len(FIRST)]} {LAST[(k * 7 + k // len(FIRST)) % len(LAST)]}",
                seniority=Seniority(level),
                timezone=str(rng.choice(zones, p=zone_p)),
                role=roles[int(rng.integers(len(roles)))],
                team=teams[int(rng.integers(len(teams)))],
                manager=manager,
                target_role=DATA_ROLES[int(rng.integers(len(DATA_ROLES)))] if level <= 2 else "",
                strengths=strengths,
                goals=goals,
                mentor_capacity=int(rng.integers(1, 4)) if mentoring else 0,
                # as the profile form requires: someone who wants a mentor names a goal
                wants_mentor=bool(rng.random() < (mentee_share or _WANTS_MENTOR[level])) and bool(goals),
                paused=bool(rng.random() < 0.04),
            )
        )
    return members


def random_history(members: Sequence[Member], pairs: int, seed: int = 0) -> list[PastPairing]:
    """Past pairings between random mentor/mentee-shaped members, up to a year back."""
    rng = np.random.default_rng(seed)
    mentors = [m.id for m in members if m.mentor_capacity > 0]
    mentees = [m.id for m in members if m.wants_mentor]
    if not mentors or not mentees:
        return []
    return [
        PastPairing(
            mentor=mentors[int(rng.integers(len(mentors)))],
            mentee=mentees[int(rng.integers(len(mentees)))],
            weeks_ago=float(rng.integers(1, 53)),
        )
        for _ in range(pairs)
    ]


def workspace_document(
    members: Sequence[Member], history: Sequence[PastPairing] = (), waiting: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Members, history and waiting counts as the JSON document ``mentorbot match`` reads."""
    return {
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "seniority": Seniority(m.seniority).name.lower(),
                "timezone": m.timezone,
                "role": m.role,
                "team": m.team,
                "manager": m.manager,
                "target_role": m.target_role,
                "strengths": dict(m.strengths),
                "goals": dict(m.goals),
                "mentor_capacity": m.mentor_capacity,
                "wants_mentor": m.wants_mentor,
                "paused": m.paused,
            }
            for m in members
        ],
        "history": [{"mentor": h.mentor, "mentee": h.mentee, "weeks_ago": h.weeks_ago} for h in history],
        "waiting": dict(waiting or {}),
    }
