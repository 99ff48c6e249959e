"""The pair score: one definition, evaluated for any set of (mentee, mentor) pairs.

:func:`score_pairs` is the only place a pair's score is computed (see
:class:`matching.weights.Weights` for the formula itself), in float64 and rounded
to integer millionths. :class:`FitBound` gives, for a whole mentees x
mentors block at once, an *upper bound* of each pair's fit (within
:data:`BOUND_MARGIN`) and rules out the pairs that certainly fail a hard
constraint. The block path is only a filter in front of :func:`score_pairs`: a
pair's score never depends on how it was reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.features import Features
from matching.weights import SCORE_SCALE, Weights


@dataclass(frozen=True, slots=True)
class Scored:
    """Scores and their components for a list of pairs (all arrays of one length).

    ``feasible`` says whether the pair may be proposed at all; ``score`` is the
    integer objective coefficient (millionths), meaningful where feasible.
    """

    mentee: np.ndarray  # member positions
    mentor: np.ndarray
    coverage: np.ndarray  # 0..1
    gap: np.ndarray  # mentor seniority minus mentee seniority
    target_role: np.ndarray  # bool
    overlap: np.ndarray  # hours
    other_team: np.ndarray  # bool
    waiting: np.ndarray  # rounds counted towards the boost
    weeks_since: np.ndarray  # inf when never paired before
    fit: np.ndarray  # integer, the score without the waiting boost
    score: np.ndarray  # integer
    feasible: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.mentee)

    def take(self, keep: np.ndarray) -> Scored:
        """The subset selected by a boolean mask or index array."""
        return Scored(*(getattr(self, f)[keep] for f in self.__slots__))


def coverage_pairs(f: Features, w: Weights, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """Priority-weighted share of the mentee's goals the mentor can teach.

    A goal counts when the mentor's strength level exceeds the mentee's own level in
    that skill; credit grows with the lead up to ``w.full_credit_gap`` levels.
    """
    g = f.goals[mentee]
    lead = f.levels[mentor].astype(np.int16) - f.levels[mentee]
    return _coverage_share(f, w, mentee, (g * np.clip(lead, 0, w.full_credit_gap)).sum(axis=1))


def coverage_points_block(f: Features, w: Weights, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
    """Coverage credit points (see :func:`coverage_pairs`) for every mentee x mentor.

    The credit depends on the mentee's own level, so the goals are split by that
    level (almost always 0) and each part is one ``(a x S) @ (S x b)`` product.
    float32 products: within ``1e-6`` relative of :func:`coverage_pairs`, at half
    the cost of float64 (goals weighted by rarity are not whole numbers).
    """
    g = f.goals[mentees].astype(np.float32)
    own = f.levels[mentees]
    theirs = f.levels[mentors].astype(np.int16)
    points = np.zeros((len(mentees), len(mentors)), dtype=np.float32)
    for level in np.unique(own[g > 0]):
        part = np.where(own == level, g, np.float32(0))
        points += part @ np.clip(theirs - level, 0, w.full_credit_gap).astype(np.float32).T
    return points


def _coverage_share(f: Features, w: Weights, mentee: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Credit points (priority x capped lead, summed) as a share of the most possible."""
    most = f.goal_total[mentee] * w.full_credit_gap
    return np.divide(points.astype(np.float64), most, out=np.zeros(len(most)), where=most > 0)


def waited_rounds(f: Features, w: Weights, mentee: np.ndarray) -> np.ndarray:
    """Rounds each mentee waited that count towards the boost (capped at ``w.waiting_cap``)."""
    return np.minimum(f.waiting[mentee], w.waiting_cap)


def waiting_boost(f: Features, w: Weights, mentee: np.ndarray) -> np.ndarray:
    """The part of each mentee's score that waiting adds, in integer millionths."""
    return np.rint(w.waiting * waited_rounds(f, w, mentee) * SCORE_SCALE).astype(np.int64)


def score_pairs(
    f: Features,
    w: Weights,
    mentee: np.ndarray,
    mentor: np.ndarray,
    coverage: np.ndarray | None = None,
) -> Scored:
    """Score the pairs ``(mentee[k], mentor[k])``; O(len * skills) time.

    Hard constraints (``feasible`` false): the same person on both sides, a mentor
    junior to the mentee, no goal covered, less shared working time than
    ``w.min_overlap_hours``, either one managing the other, the same team when
    ``w.allow_same_team`` is false, and a fit below ``w.floor``.
    """
    mentee = np.asarray(mentee, dtype=np.int64)
    mentor = np.asarray(mentor, dtype=np.int64)
    cov = coverage_pairs(f, w, mentee, mentor) if coverage is None else coverage
    gap = f.seniority[mentor].astype(np.int16) - f.seniority[mentee]
    target = (f.target[mentee] >= 0) & (f.target[mentee] == f.role[mentor])
    hours = f.zone_overlap(w)[f.zone[mentee], f.zone[mentor]]
    same_team = (f.team[mentee] >= 0) & (f.team[mentee] == f.team[mentor])
    waited = waited_rounds(f, w, mentee)
    weeks = _weeks_since(f, mentee, mentor)

    fit_table = np.asarray(w.seniority_fit)
    fit = (
        w.coverage * cov
        + w.seniority * fit_table[np.clip(gap, 0, 4)]
        + w.target_role * target
        + w.overlap * np.minimum(hours, w.workday_hours) / w.workday_hours
        + w.other_team * ~same_team
        - w.repeat * np.exp2(-weeks / w.repeat_half_life_weeks)
    )
    fit_int = np.rint(fit * SCORE_SCALE).astype(np.int64)
    score_int = fit_int + waiting_boost(f, w, mentee)
    feasible = (
        (mentee != mentor)
        & (gap >= 0)
        & (cov > 0)
        & (hours >= w.min_overlap_hours)
        & (f.manager[mentee] != mentor)
        & (f.manager[mentor] != mentee)
        & (w.allow_same_team | ~same_team)
        & (fit_int >= round(w.floor * SCORE_SCALE))
    )
    return Scored(
        mentee, mentor, cov, gap, target, hours, ~same_team, waited, weeks, fit_int, score_int, feasible
    )


#: How far (score units) a float32 bound may fall below the float64 value it bounds.
BOUND_MARGIN = 1e-4


class FitBound:
    """Upper bounds of the fit of every pair in a ``mentees x mentors`` block, prepared once per round.

    Every term of the fit except the repeat penalty (which only lowers it), in
    float32: ``bound + BOUND_MARGIN >= fit`` for each pair :func:`score_pairs`
    scores. ``-inf`` marks pairs with no goal covered, a junior mentor, too little
    shared time, a forbidden same team, or a bound below the floor. The same
    person, a manager and history are *not* looked at: callers score those few
    pairs exactly. A block costs one ``(a x S) @ (S x b)`` product per mentee level
    in play, one table look-up per pair for everything that depends only on (time
    zone, seniority, role or target role) of both sides, and one comparison of teams.
    """

    def __init__(self, f: Features, w: Weights) -> None:
        self.f, self.w = f, w
        roles = int(max(f.role.max(initial=-1), f.target.max(initial=-1))) + 2  # code -1 becomes 0
        zones = len(f.zone_offsets)
        gap = np.arange(5)[None, :] - np.arange(5)[:, None]  # [mentee level, mentor level]
        seniority = np.where(gap >= 0, w.seniority * np.asarray(w.seniority_fit)[np.clip(gap, 0, 4)], -np.inf)
        hours = f.zone_overlap(w)
        overlap = w.overlap * np.minimum(hours, w.workday_hours) / w.workday_hours
        overlap[hours < w.min_overlap_hours] = -np.inf
        target = w.target_role * (np.arange(roles)[:, None] == np.arange(roles)[None, :])
        target[0] = 0  # no target role given
        # table[zone, level, target ; zone, level, role], flattened to (classes x classes)
        table = (
            overlap[:, None, None, :, None, None]
            + seniority[None, :, None, None, :, None]
            + target[None, None, :, None, None, :]
            + w.other_team
        )
        classes = zones * 5 * roles
        self.table = table.reshape(classes, classes).astype(np.float32)
        self.mentee_class = (f.zone * 5 + f.seniority) * roles + f.target + 1
        self.mentor_class = (f.zone * 5 + f.seniority) * roles + f.role + 1
        self.team_as_mentor = np.where(f.team >= 0, f.team, -2)  # an unknown team (-1) is nobody's team
        most = (f.goal_total * w.full_credit_gap).astype(np.float32)
        self.share = np.divide(
            np.float32(w.coverage), most, out=np.zeros(len(most), np.float32), where=most > 0
        )

    def highest(self) -> float:
        """No finite bound is above this: all of the coverage weight and the best table entry."""
        finite = self.table[np.isfinite(self.table)]
        return max(self.w.coverage, 0.0) + float(finite.max(initial=0.0)) + BOUND_MARGIN

    def __call__(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        f, w = self.f, self.w
        points = coverage_points_block(f, w, mentees, mentors)
        bound = points * self.share[mentees][:, None]
        bound += np.take(self.table[self.mentee_class[mentees]], self.mentor_class[mentors], axis=1)
        same_team = np.equal.outer(f.team[mentees], self.team_as_mentor[mentors])
        if w.allow_same_team:
            np.subtract(bound, np.float32(w.other_team), out=bound, where=same_team)
        else:
            np.copyto(bound, np.float32(-np.inf), where=same_team)
        np.copyto(bound, np.float32(-np.inf), where=(points <= 0) | (bound < w.floor - BOUND_MARGIN))
        return bound


def _weeks_since(f: Features, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    weeks = np.full(len(mentee), np.inf)
    if len(f.history_keys) == 0 or len(mentee) == 0:
        return weeks
    keys = mentee * f.size + mentor
    at = np.minimum(np.searchsorted(f.history_keys, keys), len(f.history_keys) - 1)
    hit = f.history_keys[at] == keys
    weeks[hit] = f.history_weeks[at[hit]]
    return weeks
