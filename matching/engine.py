"""One matching round: profiles in, optimal and explained pairs out.

Objective
---------
Among all sets of pairs that respect the hard constraints (see
:func:`matching.scoring.score_pairs`; every mentee has at most one new mentor and
every mentor at most ``mentor_capacity`` new mentees), pick one that

1. matches the largest number of mentees, and among those
2. has the largest total score (integer millionths, so ties are exact).

With ``maxcardinality=False`` only the total score counts, so weak pairs may be
left for a later round.

Method and guarantee
--------------------
All feasible pairs are scored once (:mod:`matching.candidates`). The problem is
built as a networkx graph on each mentee's ``prune`` best pairs and solved exactly
(:mod:`matching.bmatching`); the solver's dual potentials then test *every*
feasible pair left out. Any pair that could improve the answer is added to the
graph (with those within ``ADD_SLACK`` of improving) and the graph solved again,
until none can. The result is therefore optimal
over all feasible pairs, not just the pruned ones; ``MatchResult.rounds`` says how
many solves that took.

Complexity: scoring is O(mentees x mentors x skills / BLAS speed) time and
O(feasible pairs) memory; each solve is near-linear in the graph's size in
practice. A 20,000-member workspace takes a few seconds (see BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import networkx as nx
import numpy as np

from matching.bmatching import solve_b_matching
from matching.candidates import Pool, build_pool
from matching.explain import pair_reasons, unmatched_reasons, why_infeasible
from matching.features import Features, encode
from matching.profile import Member, PastPairing
from matching.scoring import score_pairs
from matching.weights import SCORE_SCALE, Weights

#: Pairs kept per mentee and per mentor in the first solve, and improving pairs
#: added back per mentee in each later one. Larger graphs solve slower, smaller
#: ones need more rounds; these were tuned on the 20,000-member benchmark.
DEFAULT_PRUNE = 10
PRUNE_PER_MENTOR = 3
ADD_PER_MENTEE = 50
#: Pairs this close to improving (reduced cost, in score units) are added along
#: with the improving ones: the next solve moves the potentials a little, and
#: having them in the graph already usually saves a whole round.
ADD_SLACK = SCORE_SCALE // 20


class Objective(StrEnum):
    """What a round maximises, as programs name the choice.

    ``most-matched``: the most mentees paired, then the largest total score (no one
    who could be paired waits for a better pair). ``best-score``: the largest total
    score only, so a weak pair may be left for a later round. Both are exact.
    """

    most_matched = "most-matched"
    best_score = "best-score"

    @property
    def maxcardinality(self) -> bool:
        return self is Objective.most_matched


class InfeasiblePair(ValueError):
    """A pair asked for (``require``) breaks a hard constraint, or can't be added."""

    def __init__(self, mentor: str, mentee: str, reason: str) -> None:
        super().__init__(reason)
        self.mentor, self.mentee, self.reason = mentor, mentee, reason


@dataclass(frozen=True, slots=True)
class Pair:
    mentor: str
    mentee: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    feasible_pairs: int
    graph_edges: int
    rounds: int
    pool: Pool = field(repr=False)
    features: Features = field(repr=False)

    def candidates(self) -> Iterator[tuple[str, str, float]]:
        """Every feasible (mentor, mentee, score) the optimum was chosen from."""
        members = self.features.members
        for a, b, s in zip(
            self.pool.mentor.tolist(), self.pool.mentee.tolist(), self.pool.score.tolist(), strict=True
        ):
            yield members[a].id, members[b].id, s / SCORE_SCALE

    def problem_graph(self) -> nx.Graph:
        """The whole problem as a bipartite networkx graph (for inspection and oracles).

        Nodes are ``("mentee", id)`` with ``bipartite=0`` and ``("mentor", id)``
        with ``bipartite=1`` and ``capacity``; edges are every feasible pair with
        its integer ``weight``. :func:`matching.bmatching.max_weight_b_matching` on
        it reaches the same optimum as :func:`match`.
        """
        f = self.features
        graph = nx.Graph()
        graph.add_nodes_from((("mentee", f.members[k].id), {"bipartite": 0}) for k in f.mentees)
        graph.add_nodes_from(
            (("mentor", f.members[k].id), {"bipartite": 1, "capacity": int(f.capacity[k])}) for k in f.mentors
        )
        graph.add_weighted_edges_from(
            (("mentee", f.members[e].id), ("mentor", f.members[m].id), s)
            for e, m, s in zip(
                self.pool.mentee.tolist(), self.pool.mentor.tolist(), self.pool.score.tolist(), strict=True
            )
        )
        return graph


def match(
    members: Sequence[Member],
    history: Iterable[PastPairing] = (),
    *,
    waiting: Mapping[str, int] | None = None,
    weights: Weights | None = None,
    at: datetime | None = None,
    maxcardinality: bool = True,
    prune: int = DEFAULT_PRUNE,
    exclude: Iterable[tuple[str, str]] = (),
    require: Iterable[tuple[str, str]] = (),
) -> MatchResult:
    """Pair mentees with mentors optimally and say why (see the module docstring).

    ``waiting`` maps a member id to the number of earlier rounds they were left
    without a mentor; it raises their priority. ``at`` is the round's time (for
    time zones). The result lists every pair with its reasons and every member who
    asked for a mentor but got none, with the reason.

    ``exclude`` and ``require`` are (mentor id, mentee id) pairs an admin ruled out
    or insisted on. Required pairs must pass every hard constraint (else
    :class:`InfeasiblePair` says which fails); they are fixed, and the rest of the
    round is solved optimally around them, with the same guarantee.
    """
    w = weights or Weights()
    f, pool, excluded = prepare(members, history, waiting, w, at, exclude)
    fixed = _fixed(f, w, pool, require, excluded)
    pool_all = pool
    if len(fixed):  # required mentees are settled; their mentors have fewer slots
        free = np.ones(f.size, dtype=bool)
        free[pool.mentee[fixed]] = False
        pool = pool.take(np.flatnonzero(free[pool.mentee]))  # a copy: only when something is fixed
    capacity = f.capacity[f.mentors] - np.bincount(
        _local_index(f.mentors, f.size)[pool_all.mentor[fixed]], minlength=len(f.mentors)
    ).astype(f.capacity.dtype)
    mentee_pos, mentor_pos, rounds, edges = optimum(f, pool, capacity, maxcardinality, prune)
    pairs = explained_pairs(
        f, w, np.r_[mentee_pos, pool_all.mentee[fixed]], np.r_[mentor_pos, pool_all.mentor[fixed]]
    )
    matched = np.zeros(f.size, dtype=bool)
    matched[[f.position[p.mentee] for p in pairs]] = True
    unmatched = tuple(
        Unmatched(f.members[k].id, why) for k, why in unmatched_reasons(f, w, pool_all, matched, excluded)
    )
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        total_score=sum(round(p.score * SCORE_SCALE) for p in pairs) / SCORE_SCALE,
        feasible_pairs=len(pool_all),
        graph_edges=edges + len(fixed),
        rounds=rounds,
        pool=pool_all,
        features=f,
    )


def prepare(
    members: Sequence[Member],
    history: Iterable[PastPairing],
    waiting: Mapping[str, int] | None,
    w: Weights,
    at: datetime | None,
    exclude: Iterable[tuple[str, str]],
) -> tuple[Features, Pool, frozenset[int]]:
    """Encode the members and score every feasible pair once, minus the excluded ones.

    Shared by :func:`match` and :func:`matching.shortlist.shortlists`, which solve
    the same problem several times over.
    """
    f = encode(members, history, waiting, at, w.rarity)
    excluded = _keys(f, exclude)
    return f, _without(build_pool(f, w), f, excluded), excluded


def optimum(
    f: Features, pool: Pool, capacity: np.ndarray, maxcardinality: bool, prune: int = DEFAULT_PRUNE
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """An optimal b-matching over every pair in ``pool``, solved on a pruned graph (module docstring).

    ``capacity`` is per mentor in ``f.mentors`` order. Returns the matched mentees'
    and their mentors' member positions, the number of solves and the final graph's
    edge count.
    """
    left = _local_index(f.mentees, f.size)[pool.mentee]
    right = _local_index(f.mentors, f.size)[pool.mentor]
    in_graph = (pool.rank < prune) | pool.best_per_mentor(PRUNE_PER_MENTOR, f.size)
    rounds = 0
    while True:
        rounds += 1
        edges = np.flatnonzero(in_graph)
        solution = solve_b_matching(
            len(f.mentees), capacity, left[edges], right[edges], pool.score[edges], maxcardinality
        )
        reduced = solution.price(left, right, pool.score)
        if not (reduced < 0).any():
            break
        nearly = np.flatnonzero((reduced < ADD_SLACK) & ~in_graph)
        in_graph[pool.smallest_per_mentee(nearly, reduced, ADD_PER_MENTEE)] = True
    matched = np.flatnonzero(solution.mate >= 0)
    return f.mentees[matched], f.mentors[solution.mate[matched]], rounds, int(in_graph.sum())


def explained_pairs(
    f: Features, w: Weights, mentee_pos: np.ndarray, mentor_pos: np.ndarray
) -> tuple[Pair, ...]:
    """The pairs at these member positions, scored and with their reasons, by mentor then mentee."""
    order = np.lexsort((mentee_pos, mentor_pos))
    mentee_pos, mentor_pos = mentee_pos[order], mentor_pos[order]
    scored = score_pairs(f, w, mentee_pos, mentor_pos)
    reasons = pair_reasons(f, w, scored)
    return tuple(
        Pair(f.members[m].id, f.members[e].id, s / SCORE_SCALE, r)
        for m, e, s, r in zip(
            mentor_pos.tolist(), mentee_pos.tolist(), scored.score.tolist(), reasons, strict=True
        )
    )


def _keys(f: Features, pairs: Iterable[tuple[str, str]]) -> frozenset[int]:
    """``mentor * size + mentee`` of (mentor id, mentee id) pairs between current members."""
    pos = f.position
    return frozenset(pos[a] * f.size + pos[b] for a, b in pairs if a in pos and b in pos)


def _without(pool: Pool, f: Features, excluded: frozenset[int]) -> Pool:
    """The pool minus the pairs ruled out."""
    if not excluded:
        return pool
    key = pool.mentor.astype(np.int64) * f.size + pool.mentee
    return pool.take(np.flatnonzero(~np.isin(key, np.fromiter(excluded, dtype=np.int64))))


def _fixed(
    f: Features, w: Weights, pool: Pool, require: Iterable[tuple[str, str]], excluded: frozenset[int]
) -> np.ndarray:
    """Pool indices of the required pairs, checked: feasible, one mentor per mentee, within capacity."""
    require = list(require)
    if not require:
        return np.zeros(0, dtype=np.int64)
    pos = f.position
    key = pool.mentor.astype(np.int64) * f.size + pool.mentee  # O(pool) once, a few lookups
    fixed: list[int] = []
    taken: set[int] = set()
    load: dict[int, int] = {}
    for mentor, mentee in require:
        if mentor not in pos or mentee not in pos:
            raise InfeasiblePair(mentor, mentee, f"{mentor if mentor not in pos else mentee} isn't a member")
        a, b = pos[mentor], pos[mentee]
        if a * f.size + b in excluded:  # why stays private (a member's list, or ruled out earlier)
            raise InfeasiblePair(
                mentor, mentee, f"{f.members[a].name} and {f.members[b].name} aren't available as a pair"
            )
        hit = np.flatnonzero(key == a * f.size + b)
        if len(hit) == 0:
            raise InfeasiblePair(mentor, mentee, why_infeasible(f, w, b, a))
        j = int(hit[0])
        if b in taken:
            raise InfeasiblePair(mentor, mentee, f"{f.members[b].name} can have only one new mentor")
        load[a] = load.get(a, 0) + 1
        if load[a] > f.capacity[a]:
            raise InfeasiblePair(mentor, mentee, f"{f.members[a].name} has no more free slots")
        taken.add(b)
        fixed.append(j)
    return np.asarray(fixed, dtype=np.int64)


def _local_index(positions: np.ndarray, size: int) -> np.ndarray:
    """Member position -> index within ``positions`` (-1 where absent)."""
    index = np.full(size, -1, dtype=np.int64)
    index[positions] = np.arange(len(positions))
    return index
