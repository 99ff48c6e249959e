"""Peer learning circles: groups of 3-5 members at a similar level who can teach each other.

Objective
---------
Split the participants into circles of ``min_size``..``max_size`` members (some may
be left unplaced) to maximise the sum, over circles, of every two members' mutual
teaching: how much of one's goals the other can teach, both ways (the same
coverage as pairs, :func:`matching.scoring.coverage_points_block`), less a penalty
when they share a team. Hard constraints inside a circle: seniority at most one
level apart, at least ``min_overlap_hours`` of shared working time, nobody with
their manager, and no pair ruled out (``exclude``).

Method and guarantees
---------------------
Grouping is NP-hard (it contains clique partitioning), so the result is not proven
optimal; it is always *valid* (sizes and hard constraints hold, checked at the end).
It is built the classic way, from matchings, then improved by local search:

1. a greedy maximum-weight matching on each member's best partners makes pairs;
   a second matching on the pairs joins them into fours;
2. leftover members join the circle they add most to, while it has room;
3. local search moves one member to another circle, swaps two members, or seats an
   unplaced member, while that raises the total (first improvement, vectorised
   over all candidates), then repairs any circle that still holds an infeasible
   pair. Up to ``SMALL`` members it also restarts from random groupings and keeps
   the best (deterministic for a given ``seed``).

The benchmark (``benchmarks/bench_circles.py``) compares it with random grouping and
with the brute-force optimum on small instances. Complexity: O(n^2 * skills) to
score, about O(n * k) per matching and O(n^2) per local-search pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching.features import Features, encode
from matching.profile import Member
from matching.scoring import coverage_points_block
from matching.weights import Weights

#: Penalty (in coverage units) for two members of the same team in one circle.
SAME_TEAM = 0.25
#: Partners per member kept for the matchings (the local search sees everyone).
NEIGHBOURS = 12
#: An infeasible pair inside a circle costs this much: the search never keeps one.
FORBIDDEN = -1e6
MAX_PASSES = 50
#: Up to SMALL members, the local search also starts from RANDOM_STARTS random groupings
#: and the best result is kept (cheap there, and small instances have tight local optima).
SMALL, RANDOM_STARTS = 200, 30
#: Up to this many unplaced members, new circles of every allowed size are tried.
FEW = 12


@dataclass(frozen=True, slots=True)
class Circle:
    members: tuple[str, ...]
    score: float
    #: (presenter, topic): who teaches what in turn, each member once, on a skill
    #: they are stronger in than someone else in the circle who wants it.
    rotation: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class CircleResult:
    circles: tuple[Circle, ...]
    unplaced: tuple[str, ...]
    total: float


def mutual_weights(f: Features, w: Weights, exclude: Iterable[tuple[str, str]] = ()) -> np.ndarray:
    """n x n symmetric weights: mutual teaching less the same-team penalty, FORBIDDEN if infeasible."""
    everyone = np.arange(f.size)
    points = coverage_points_block(f, w, everyone, everyone).astype(np.float64)
    most = f.goal_total * w.full_credit_gap
    teach = np.divide(points, most[:, None], out=np.zeros_like(points), where=most[:, None] > 0)
    m = teach + teach.T  # i learns from j, and j from i
    same_team = (f.team[:, None] >= 0) & (f.team[:, None] == f.team[None, :])
    m -= SAME_TEAM * same_team
    hours = f.zone_overlap(w)[f.zone[:, None], f.zone[None, :]]
    level = np.abs(f.seniority[:, None].astype(np.int16) - f.seniority[None, :])
    manager = (f.manager[:, None] == everyone[None, :]) | (f.manager[None, :] == everyone[:, None])
    bad = (hours < w.min_overlap_hours) | (level > 1) | manager
    pos = f.position
    for a, b in exclude:
        if a in pos and b in pos:
            bad[pos[a], pos[b]] = bad[pos[b], pos[a]] = True
    m[bad] = FORBIDDEN
    np.fill_diagonal(m, 0.0)
    return m


def circle_total(weights: np.ndarray, labels: np.ndarray) -> float:
    """The objective for a labelling (label -1: unplaced)."""
    total = 0.0
    for g in np.unique(labels[labels >= 0]):
        idx = np.flatnonzero(labels == g)
        total += weights[np.ix_(idx, idx)].sum() / 2
    return float(total)


def form_circles(
    members: Sequence[Member],
    *,
    weights: Weights | None = None,
    at: datetime | None = None,
    min_size: int = 3,
    max_size: int = 5,
    exclude: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> CircleResult:
    """Group the members who are not paused into circles (see the module docstring)."""
    if not 2 <= min_size <= max_size:
        raise ValueError("need 2 <= min_size <= max_size")
    w = weights or Weights()
    people = [m for m in members if not m.paused]
    f = encode(people, at=at)
    if f.size == 0:
        return CircleResult((), (), 0.0)
    wts = mutual_weights(f, w, exclude)
    rng = np.random.default_rng(seed)
    starts = [_construct(wts, min_size, max_size)]
    starts += [_random_start(len(wts), rng) for _ in range(RANDOM_STARTS if f.size <= SMALL else 1)]
    labels = max(
        (_improve(wts, s, min_size, max_size) for s in starts), key=lambda lab: circle_total(wts, lab)
    )
    circles = []
    for g in np.unique(labels[labels >= 0]):
        idx = np.flatnonzero(labels == g)
        circles.append(
            Circle(
                tuple(f.members[k].id for k in idx),
                float(wts[np.ix_(idx, idx)].sum() / 2),
                _rotation(f, idx),
            )
        )
    circles.sort(key=lambda c: -c.score)
    unplaced = tuple(f.members[k].id for k in np.flatnonzero(labels < 0))
    return CircleResult(tuple(circles), unplaced, circle_total(wts, labels))


def _construct(wts: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """Pairs by matching, pairs joined into fours by matching, then leftovers placed."""
    n = len(wts)
    pairs = [sorted(a + b) for a, b in _matching(wts, [[k] for k in range(n)])]
    paired = {k for p in pairs for k in p}
    groups = [sorted(a + b) for a, b in _matching(_group_weights(wts, pairs), pairs)]
    joined = {k for g in groups for k in g}
    leftovers = [p for p in pairs if p[0] not in joined] + [[k] for k in range(n) if k not in paired]
    labels = np.full(n, -1, dtype=np.int64)
    for g, idx in enumerate(groups):
        labels[idx] = g
    for part in leftovers:  # into the circle it adds most to, with room; else a new circle
        gains = [
            (wts[np.ix_(np.asarray(part), np.flatnonzero(labels == g))].sum(), g)
            for g in range(len(groups))
            if (labels == g).sum() + len(part) <= max_size
        ]
        best = max(gains, default=(-np.inf, -1))
        if best[0] > 0:
            labels[part] = best[1]
        else:
            labels[part] = len(groups)
            groups.append(list(part))
    return labels


def _random_start(n: int, rng: np.random.Generator) -> np.ndarray:
    """Everyone shuffled into circles of four; a short last circle joins the one before."""
    labels = np.empty(n, dtype=np.int64)
    labels[rng.permutation(n)] = np.arange(n) // 4
    if n > 4 and n % 4 and n % 4 < 3:
        labels[labels == labels.max()] -= 1
    return labels


def _group_weights(wts: np.ndarray, parts: list[list[int]]) -> np.ndarray:
    """Weights between parts: the sum of their members' cross weights."""
    onehot = np.zeros((len(parts), len(wts)))
    for g, idx in enumerate(parts):
        onehot[g, idx] = 1.0
    return onehot @ wts @ onehot.T


def _matching(wts: np.ndarray, parts: list[list[int]]) -> list[tuple[list[int], list[int]]]:
    """Greedy maximum-weight matching of ``parts`` over each one's NEIGHBOURS best positive partners.

    Heaviest edge first, both ends free: at least half the optimum matching's weight,
    in O(E log E). The exact blossom (networkx) took 130 s at 2,000 members, and the
    local search that follows recovers far more than the difference.
    """
    m = len(parts)
    if m < 2:
        return []
    k = min(NEIGHBOURS, m - 1)
    best = np.argpartition(-wts, k, axis=1)[:, : k + 1]
    a = np.repeat(np.arange(m), best.shape[1])
    b = best.ravel()
    keep = (a < b) & (wts[a, b] > 0)
    a, b = a[keep], b[keep]
    order = np.argsort(-wts[a, b], kind="stable")
    free = np.ones(m, dtype=bool)
    matched = []
    for x, y in zip(a[order].tolist(), b[order].tolist(), strict=True):
        if free[x] and free[y]:
            free[x] = free[y] = False
            matched.append((x, y))
    return [(parts[x], parts[y]) for x, y in matched]


def _improve(wts: np.ndarray, labels: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """Local search and repair; then new circles from the unplaced, while any helps."""
    labels = _repair(wts, _local_search(wts, labels, min_size, max_size), min_size, max_size)
    while True:
        new = _circle_from_unplaced(wts, labels, min_size, max_size)
        if new is None:
            return labels
        labels[new] = labels.max() + 1
        labels = _repair(wts, _local_search(wts, labels, min_size, max_size), min_size, max_size)


def _circle_from_unplaced(
    wts: np.ndarray, labels: np.ndarray, min_size: int, max_size: int
) -> list[int] | None:
    """The best feasible new circle among the unplaced, by weight (None if none is positive).

    Exhaustive over every size when few are unplaced (the usual case); otherwise
    circles of ``min_size`` among the best-connected 25.
    """
    free = np.flatnonzero(labels < 0)
    if len(free) < min_size:
        return None
    sizes = range(min_size, max_size + 1) if len(free) <= FEW else range(min_size, min_size + 1)
    if len(free) > 25:
        free = free[np.argsort(-np.clip(wts[np.ix_(free, free)], 0, None).sum(axis=1))[:25]]
    best, best_value = None, 1e-12
    for size in sizes:
        for group in itertools.combinations(free.tolist(), size):
            sub = wts[np.ix_(group, group)]
            value = sub.sum() / 2
            if value > best_value and (sub > FORBIDDEN / 2).all():
                best, best_value = list(group), value
    return best


def _local_search(wts: np.ndarray, labels: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """Moves and swaps that raise the total, until none does (or MAX_PASSES)."""
    labels = labels.copy()
    groups = int(labels.max()) + 1 if (labels >= 0).any() else 0
    if groups == 0:
        return labels
    onehot = np.zeros((len(wts), groups))
    placed = labels >= 0
    onehot[np.flatnonzero(placed), labels[placed]] = 1.0
    s = wts @ onehot  # s[i, g]: i's total weight to circle g
    size = onehot.sum(axis=0)
    for _ in range(MAX_PASSES):
        improved = False
        for i in range(len(wts)):
            a = labels[i]
            if a < 0:  # unplaced: join the circle with room it adds most to, if that helps
                gain = s[i].copy()
                gain[(size >= max_size) | (size == 0)] = -np.inf
                b = int(np.argmax(gain))
                if gain[b] > 1e-12:
                    s[:, b] += wts[:, i]
                    size[b] += 1
                    labels[i] = b
                    improved = True
                continue
            # Leave a circle one drags down (a forbidden pair, say), if it stays big enough.
            if size[a] > min_size and s[i, a] < -1e-12:
                s[:, a] -= wts[:, i]
                size[a] -= 1
                labels[i] = -1
                improved = True
                continue
            # Move i to another circle with room, if its own stays big enough.
            if size[a] > min_size:
                gain = s[i] - s[i, a]
                gain[(size >= max_size) | (size == 0)] = -np.inf
                gain[a] = -np.inf
                b = int(np.argmax(gain))
                if gain[b] > 1e-12:
                    _move(wts, s, size, labels, i, a, b)
                    improved = True
                    continue
            # Swap i with j in another circle.
            lj = labels
            other = (lj >= 0) & (lj != a)
            if not other.any():
                continue
            gain = (
                s[i, np.maximum(lj, 0)]
                - s[i, a]
                - wts[i]
                + s[:, a]
                - s[np.arange(len(wts)), np.maximum(lj, 0)]
                - wts[:, i]
            )
            gain[~other] = -np.inf
            j = int(np.argmax(gain))
            if gain[j] > 1e-12:
                b = int(lj[j])
                _move(wts, s, size, labels, i, a, b)
                _move(wts, s, size, labels, j, b, a)
                improved = True
        if not improved:
            break
    return labels


def _move(
    wts: np.ndarray, s: np.ndarray, size: np.ndarray, labels: np.ndarray, i: int, a: int, b: int
) -> None:
    s[:, a] -= wts[:, i]
    s[:, b] += wts[:, i]
    size[a] -= 1
    size[b] += 1
    labels[i] = b


def _repair(wts: np.ndarray, labels: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """Guarantee validity: drop members in an infeasible pair, dissolve circles that got too small."""
    labels = labels.copy()
    for g in np.unique(labels[labels >= 0]):
        idx = list(np.flatnonzero(labels == g))
        while len(idx) > 1:
            sub = wts[np.ix_(idx, idx)]
            worst = (sub <= FORBIDDEN / 2).sum(axis=1)
            if worst.max() == 0:
                break
            labels[idx.pop(int(np.argmax(worst)))] = -1
        if len(idx) < min_size:
            labels[idx] = -1
    for k in np.flatnonzero(labels < 0):  # the unplaced join a circle with room where they fit
        options = [
            (wts[k, np.flatnonzero(labels == g)].sum(), g)
            for g in np.unique(labels[labels >= 0])
            if (labels == g).sum() < max_size and (wts[k, labels == g] > FORBIDDEN / 2).all()
        ]
        best = max(options, default=(0.0, -1))
        if best[0] > 0:
            labels[k] = best[1]
    return labels


def _rotation(f: Features, idx: np.ndarray) -> tuple[tuple[str, str], ...]:
    """Each member presents once, on what they know best that someone else in the circle wants."""
    out = []
    for k in idx:
        wanted = (f.goals[idx] > 0) & (f.levels[k] > f.levels[idx])
        wanted[list(idx).index(k)] = False
        demand = wanted.sum(axis=0) * f.levels[k]
        if demand.max() > 0:
            out.append((f.members[k].id, f.skills[int(np.argmax(demand))]))
        else:
            out.append((f.members[k].id, "a problem they solved recently"))
    return tuple(out)
