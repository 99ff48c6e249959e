"""Member profiles and pairing history: the engine's whole input vocabulary.

Profiles are validated when they are built, so that every later stage (scoring,
solving, explaining) can trust them and a bad spreadsheet row fails loudly at the
edge instead of producing a quietly wrong pairing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_LEVEL = 5
MAX_PRIORITY = 3
MAX_CAPACITY = 50


class ProfileError(ValueError):
    """A profile field holds a value the engine cannot use.

    Carries the field name so that callers (CLI, Slack modal) can point at it.
    """

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class Seniority(IntEnum):
    """Career stage; the integer order is what the seniority-gap score uses."""

    STUDENT = 0
    JUNIOR = 1
    MID = 2
    SENIOR = 3
    STAFF = 4

    @classmethod
    def parse(cls, value: str | Seniority) -> Seniority:
        if isinstance(value, Seniority):
            return value
        key = str(value).strip().lower().replace("-", " ").replace("_", " ")
        aliases = {
            "student": cls.STUDENT,
            "intern": cls.STUDENT,
            "junior": cls.JUNIOR,
            "mid": cls.MID,
            "mid level": cls.MID,
            "intermediate": cls.MID,
            "senior": cls.SENIOR,
            "staff": cls.STAFF,
            "principal": cls.STAFF,
            "staff/principal": cls.STAFF,
        }
        try:
            return aliases[key]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ProfileError("seniority", f"{value!r} is not one of {names}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone; raise ProfileError otherwise."""
    if not (isinstance(name, str) and _is_zone(name)):
        raise ProfileError("timezone", f"{name!r} is not an IANA time zone")
    return name


@functools.cache
def _is_zone(name: str) -> bool:
    """Remembered per name: ZoneInfo keeps only a few zones loaded, and a workspace repeats a few
    dozen names thousands of times."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_skill_map(name: str, values: Mapping[str, int], top: int) -> dict[str, int]:
    checked: dict[str, int] = {}
    for skill, value in values.items():
        key = normalize_skill(skill)
        if not key:
            raise ProfileError(name, "a skill name is empty")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise ProfileError(name, f"{skill!r} must be a whole number from 1 to {top}")
        checked[key] = value
    return checked


@functools.lru_cache(maxsize=4096)
def normalize_skill(skill: str) -> str:
    """Skill keys compare case- and space-insensitively ("Model Deployment" == "model deployment").

    Cached: a workspace names a few dozen skills hundreds of thousands of times."""
    return " ".join(str(skill).split()).lower()


def normalize_label(text: str | None) -> str:
    """Roles and teams compare the same way as skills."""
    return normalize_skill(text or "")


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the program, as a mentor, a mentee, or both.

    ``mentor_capacity`` is the number of *new* mentees this member can take in the
    round being solved (the bot subtracts ongoing pairings before calling the engine).
    """

    id: str
    name: str
    seniority: Seniority
    timezone: str = "UTC"
    role: str = ""
    team: str = ""
    manager: str | None = None
    target_role: str = ""
    strengths: Mapping[str, int] = field(default_factory=dict)
    goals: Mapping[str, int] = field(default_factory=dict)
    mentor_capacity: int = 0
    wants_mentor: bool = False
    paused: bool = False

    def __post_init__(self) -> None:
        if not str(self.id).strip():
            raise ProfileError("id", "must not be empty")
        object.__setattr__(self, "seniority", Seniority.parse(self.seniority))
        check_timezone(self.timezone)
        object.__setattr__(self, "strengths", _check_skill_map("strengths", self.strengths, MAX_LEVEL))
        object.__setattr__(self, "goals", _check_skill_map("goals", self.goals, MAX_PRIORITY))
        cap = self.mentor_capacity
        if isinstance(cap, bool) or not isinstance(cap, int) or not 0 <= cap <= MAX_CAPACITY:
            raise ProfileError("mentor_capacity", f"must be a whole number from 0 to {MAX_CAPACITY}")
        if self.manager is not None and str(self.manager) == str(self.id):
            raise ProfileError("manager", "a member cannot be their own manager")

    @property
    def is_mentor(self) -> bool:
        """Offers at least one slot this round."""
        return self.mentor_capacity > 0 and not self.paused

    @property
    def is_mentee(self) -> bool:
        """Asks for a mentor this round."""
        return self.wants_mentor and not self.paused and bool(self.goals)


@dataclass(frozen=True, slots=True)
class PastPairing:
    """A pairing from an earlier round, used to discourage repeating the same pair soon."""

    mentor: str
    mentee: str
    weeks_ago: float

    def __post_init__(self) -> None:
        if self.weeks_ago < 0:
            raise ProfileError("weeks_ago", "must not be negative")
