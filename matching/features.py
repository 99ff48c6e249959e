"""Profiles turned into arrays, so that millions of pairs can be scored with numpy.

Encoding happens once per round; every later stage indexes these arrays by member
position (the order of the ``members`` sequence given to :func:`encode`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching.profile import Member, PastPairing, normalize_label
from matching.timezones import overlap_hours, utc_offset_hours
from matching.weights import Weights


@dataclass(frozen=True, slots=True)
class Features:
    """Column-wise view of the members of one round.

    Categorical fields (role, target role, team) are integer codes where -1 means
    "not given"; role and target role share one code space so they compare directly.
    """

    members: tuple[Member, ...]
    position: Mapping[str, int]  # member id -> index into every per-member array
    skills: tuple[str, ...]
    goals: np.ndarray  # (n, skills) float: goal priority x skill weight, 0 = not a goal
    goal_total: np.ndarray  # (n,) sum of weighted goals: the denominator of coverage
    scarcity: np.ndarray  # (skills,) 0..1: demand / (demand + mentor slots) in the round
    levels: np.ndarray  # (n, skills) int8: strength level, 0 = not a strength
    seniority: np.ndarray  # (n,) int8
    role: np.ndarray  # (n,) int32
    target: np.ndarray  # (n,) int32
    team: np.ndarray  # (n,) int32
    manager: np.ndarray  # (n,) int64: position of the manager, -1 if unknown
    zone: np.ndarray  # (n,) int: index into ``zone_offsets``
    zone_offsets: np.ndarray  # distinct UTC offsets of the round
    waiting: np.ndarray  # (n,) int32: rounds the member waited for a mentor
    capacity: np.ndarray  # (n,) int32: free mentor slots this round
    mentees: np.ndarray  # positions of members asking for a mentor
    mentors: np.ndarray  # positions of members offering slots
    history_keys: np.ndarray  # sorted mentee * n + mentor, one per past pair
    history_weeks: np.ndarray  # weeks since that pair was last together

    @property
    def size(self) -> int:
        return len(self.members)

    def zone_overlap(self, w: Weights) -> np.ndarray:
        """Shared working hours between every two distinct UTC offsets of the round."""
        z = self.zone_offsets
        return overlap_hours(z[:, None], z[None, :], w.workday_start, w.workday_end)


def _codes(values: Iterable[str], vocabulary: dict[str, int]) -> np.ndarray:
    out = []
    for value in values:
        key = normalize_label(value)
        out.append(vocabulary.setdefault(key, len(vocabulary)) if key else -1)
    return np.asarray(out, dtype=np.int32)


#: A mentor counts towards a skill's supply from this strength level up.
SUPPLY_LEVEL = 3


def scarcity(goals: np.ndarray, levels: np.ndarray, capacity: np.ndarray, mentees: np.ndarray) -> np.ndarray:
    """Per skill, how scarce it is this round: demand / (demand + supply), in 0..1.

    Demand is the number of mentees who want the skill; supply is the free mentor
    slots of everyone strong in it (level >= ``SUPPLY_LEVEL``). A skill nobody can
    teach scores 1, one with ten slots per asker about 0.09. O(n * skills).
    """
    demand = (goals[mentees] > 0).sum(axis=0).astype(np.float64)
    supply = ((levels >= SUPPLY_LEVEL) * capacity[:, None]).sum(axis=0).astype(np.float64)
    total = demand + supply
    return np.divide(demand, total, out=np.zeros(len(total)), where=total > 0)


def skill_weights(scarce: np.ndarray, rarity: float) -> np.ndarray:
    """Weight of a goal in each skill: ``1 + rarity * scarcity``.

    The weights multiply goal priorities before coverage is taken as a share of the
    mentee's weighted goals, so coverage stays in 0..1 and ``rarity=0`` changes
    nothing; what changes is which of a mentee's goals a mentor's strengths count for.
    """
    return 1 + rarity * scarce


def encode(
    members: Sequence[Member],
    history: Iterable[PastPairing] = (),
    waiting: Mapping[str, int] | None = None,
    at: datetime | None = None,
    rarity: float = 0.0,
) -> Features:
    """Encode a round's members, history and waiting counts.

    ``at`` is the instant whose UTC offsets count (the round's time, so that
    daylight-saving time is right; ``None`` means now). History entries naming
    people who are no longer members are ignored: they cannot be paired again.
    ``rarity`` weights goals by the scarcity of their skill (:func:`skill_weights`).
    """
    ids = [m.id for m in members]
    pos = {mid: k for k, mid in enumerate(ids)}
    if len(pos) != len(ids):
        dup = next(i for i, times in Counter(ids).items() if times > 1)
        raise ValueError(f"duplicate member id {dup!r}")
    n = len(members)
    skills = sorted({s for m in members for s in (*m.strengths, *m.goals)})
    col = {s: k for k, s in enumerate(skills)}
    goals = np.zeros((n, len(skills)), dtype=np.float64)
    levels = np.zeros((n, len(skills)), dtype=np.int8)
    for r, m in enumerate(members):
        for s, p in m.goals.items():
            goals[r, col[s]] = p
        for s, lv in m.strengths.items():
            levels[r, col[s]] = lv

    roles: dict[str, int] = {}
    teams: dict[str, int] = {}
    instant = at or datetime.now().astimezone()
    offsets = {tz: utc_offset_hours(tz, instant) for tz in {m.timezone for m in members}}
    waits = waiting or {}

    latest: dict[int, float] = {}
    for h in history:
        if h.mentor in pos and h.mentee in pos:
            key = pos[h.mentee] * n + pos[h.mentor]
            latest[key] = min(latest.get(key, h.weeks_ago), h.weeks_ago)
    keys = np.asarray(sorted(latest), dtype=np.int64)

    offset = np.asarray([offsets[m.timezone] for m in members], dtype=np.float64)
    zone_offsets, zone = np.unique(offset, return_inverse=True)
    capacity = np.asarray([m.mentor_capacity if m.is_mentor else 0 for m in members], dtype=np.int32)
    mentees = np.asarray([k for k, m in enumerate(members) if m.is_mentee], dtype=np.int64)
    scarce = scarcity(goals, levels, capacity, mentees)
    goals = goals * skill_weights(scarce, rarity)
    return Features(
        members=tuple(members),
        position=pos,
        skills=tuple(skills),
        goals=goals,
        goal_total=goals.sum(axis=1),
        scarcity=scarce,
        levels=levels,
        seniority=np.asarray([int(m.seniority) for m in members], dtype=np.int8),
        role=_codes((m.role for m in members), roles),
        target=_codes((m.target_role for m in members), roles),
        team=_codes((m.team for m in members), teams),
        manager=np.asarray([pos.get(m.manager, -1) if m.manager else -1 for m in members], dtype=np.int64),
        zone=zone,
        zone_offsets=zone_offsets,
        waiting=np.asarray([max(0, int(waits.get(m.id, 0))) for m in members], dtype=np.int32),
        capacity=capacity,
        mentees=mentees,
        mentors=np.asarray([k for k, m in enumerate(members) if m.is_mentor], dtype=np.int64),
        history_keys=keys,
        history_weeks=np.asarray([latest[k] for k in keys.tolist()], dtype=np.float64),
    )
