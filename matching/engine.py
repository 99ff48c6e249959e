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
One scan over every pair (:func:`matching.candidates.find_candidates`) keeps
what the solve needs of the feasible pairs. An auction on the scan's values
(:func:`matching.auction.auction`) estimates each mentor's price (how contested
they are); the starting graph holds each mentee's ``prune`` pairs that are best by
score minus price (within ``SEED_SLACK`` of the mentee's best), the pair the
auction gave it, and each mentor's ``PRUNE_PER_MENTOR`` most promising pairs. That
graph is solved exactly as a min-cost flow (:mod:`matching.bmatching`), and the
certificate's potentials start from the prices. The certificate (a minimum cut
and potentials) then prices *every* feasible pair left out
(:meth:`~matching.candidates.Candidates.improving`, over what the scan kept). Any
pair that could improve the answer is added to the graph (with those within
``ADD_SLACK`` of improving) and the graph solved again, until none can. When a
pass finds only a few such pairs, the matching is first certified on the grown
graph instead (:func:`~matching.bmatching.certify_b_matching`, cancelling the few
negative cycles the new pairs close); the graph is solved again only if that
fails. The result
is therefore optimal over all feasible pairs, not just the pruned ones, whatever
the auction estimated; ``MatchResult.rounds`` says how many solves that took
(usually one or two). Scores and the solver use integer arithmetic (millionths), so ties
are exact and no weight is too large.

Complexity: the scan is O(mentees x mentors x skills / BLAS speed) time in
blocks (each block of alike mentees skips the mentors none of them can reach:
about half) and about 4 bytes per feasible pair of memory; the auction is a few
hundred rounds, each O(bidders x width) (width about 1.5 sqrt(mentors)) plus the
rows it reads again; each pricing pass is O(feasible pairs), each solve
near-linear in the graph's size in practice, and each certificate a few dozen
vectorised Bellman-Ford rounds over the graph.
A 20,000-member workspace takes a few seconds and a few hundred MB (see
BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from matching.bmatching import BMatching, certify_b_matching, solve_b_matching
from matching.candidates import Candidates, Pool, find_candidates
from matching.explain import Unmatched, pair_reasons, unmatched_reasons, why_infeasible
from matching.features import Features, encode
from matching.profile import Member, PastPairing
from matching.reasons import Reason, reason
from matching.scoring import score_pairs
from matching.weights import SCORE_SCALE, Weights

if TYPE_CHECKING:
    import networkx as nx

#: Pairs kept per mentee and per mentor in the first solve, and improving pairs
#: added back per mentee in each later one. Larger graphs solve slower, smaller
#: ones need more rounds; these were tuned on the 20,000-member benchmark.
DEFAULT_PRUNE = 20
PRUNE_PER_MENTOR = 3
#: A mentee's pairs in the first solve are within this (score minus price, in
#: millionths) of its best one.
SEED_SLACK = SCORE_SCALE * 3 // 100
ADD_PER_MENTEE = 20
#: Pairs this close to improving (reduced cost, in score units) are added along
#: with the improving ones: the next solve moves the potentials a little, and
#: having them in the graph already usually saves a whole round.
ADD_SLACK = SCORE_SCALE // 50
#: In the first ``DROP_ROUNDS`` passes, graph pairs priced this far from
#: improving are dropped (every pair is priced again after each solve, so nothing
#: is lost; the bound on such rounds keeps the loop finite). It keeps the graph,
#: and so each solve, small after the first round adds the pairs crossing the cut.
DROP_ABOVE = SCORE_SCALE // 5
DROP_ROUNDS = 2
#: When a pricing pass finds few pairs that could improve the answer (at most this
#: share of the mentees), the matching is close to optimal on the grown graph: it is
#: certified there first, cancelling the negative cycles Bellman-Ford (at most
#: ``CERTIFY_ROUNDS`` rounds, from the matching's last potentials) closes, up to
#: ``CERTIFY_REPAIRS`` times; the graph is solved again only if that fails.
CERTIFY_SHARE = 0.1
CERTIFY_ROUNDS = 60
CERTIFY_REPAIRS = 3


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

    def __init__(self, mentor: str, mentee: str, reason: Reason) -> None:
        super().__init__(str(reason))
        self.mentor, self.mentee, self.reason = mentor, mentee, reason


@dataclass(frozen=True, slots=True)
class Pair:
    mentor: str
    mentee: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    feasible_pairs: int
    graph_edges: int
    rounds: int
    features: Features = field(repr=False)
    weights: Weights = field(repr=False)
    ruled_out: np.ndarray = field(repr=False)  # sorted mentee * size + mentor keys of excluded pairs

    def every_pair(self) -> Pool:
        """Every feasible pair of the round, found again: O(feasible pairs) time and memory."""
        return find_candidates(self.features, self.weights, self.ruled_out, per_mentor=0, width=0).every()

    def candidates(self) -> Iterator[tuple[str, str, float]]:
        """Every feasible (mentor, mentee, score) of the round (see :meth:`every_pair`)."""
        members = self.features.members
        pool = self.every_pair()
        for a, b, s in zip(pool.mentor.tolist(), pool.mentee.tolist(), pool.score.tolist(), strict=True):
            yield members[a].id, members[b].id, s / SCORE_SCALE

    def problem_graph(self) -> nx.Graph[tuple[str, str]]:
        """The whole problem as a bipartite networkx graph (for inspection and oracles).

        Nodes are ``("mentee", id)`` with ``bipartite=0`` and ``("mentor", id)``
        with ``bipartite=1`` and ``capacity``; edges are every feasible pair with
        its integer ``weight``. :func:`matching.bmatching.max_weight_b_matching` on
        it reaches the same optimum as :func:`match`.
        """
        f, pool = self.features, self.every_pair()
        import networkx as nx  # only here: matching itself needs no networkx, and it is slow to import

        graph: nx.Graph[tuple[str, str]] = nx.Graph()
        graph.add_nodes_from((("mentee", f.members[k].id), {"bipartite": 0}) for k in f.mentees)
        graph.add_nodes_from(
            (("mentor", f.members[k].id), {"bipartite": 1, "capacity": int(f.capacity[k])}) for k in f.mentors
        )
        graph.add_weighted_edges_from(
            (("mentee", f.members[e].id), ("mentor", f.members[m].id), s)
            for e, m, s in zip(pool.mentee.tolist(), pool.mentor.tolist(), pool.score.tolist(), strict=True)
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
    f, excluded, keys = prepare(members, history, waiting, w, at, exclude)
    fixed_mentee, fixed_mentor = _fixed(f, w, require, excluded)
    free = np.ones(f.size, dtype=bool)
    free[fixed_mentee] = False  # required mentees are settled; their mentors have fewer slots
    capacity = f.capacity[f.mentors] - np.bincount(
        np.searchsorted(f.mentors, fixed_mentor), minlength=len(f.mentors)
    ).astype(f.capacity.dtype)
    candidates = find_candidates(f, w, keys, f.mentees[free[f.mentees]], PRUNE_PER_MENTOR)
    found = optimum(f, candidates, capacity, maxcardinality, prune)
    pairs = explained_pairs(f, w, np.r_[found.mentee, fixed_mentee], np.r_[found.mentor, fixed_mentor])
    matched = np.zeros(f.size, dtype=bool)
    matched[[f.position[p.mentee] for p in pairs]] = True
    unmatched = tuple(unmatched_reasons(f, w, found.counts, matched, excluded))
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        total_score=sum(round(p.score * SCORE_SCALE) for p in pairs) / SCORE_SCALE,
        feasible_pairs=int(found.counts.sum()) + len(fixed_mentee),
        graph_edges=found.edges + len(fixed_mentee),
        rounds=found.rounds,
        features=f,
        weights=w,
        ruled_out=keys,
    )


def prepare(
    members: Sequence[Member],
    history: Iterable[PastPairing],
    waiting: Mapping[str, int] | None,
    w: Weights,
    at: datetime | None,
    exclude: Iterable[tuple[str, str]],
) -> tuple[Features, frozenset[int], np.ndarray]:
    """Encode the members, and the excluded pairs both as ``mentor * size + mentee`` keys
    (for the reasons) and as sorted ``mentee * size + mentor`` keys (for the candidates).

    Shared by :func:`match` and :func:`matching.shortlist.shortlists`.
    """
    f = encode(members, history, waiting, at, w.rarity)
    excluded = _keys(f, exclude)
    mentor, mentee = np.divmod(np.fromiter(excluded, dtype=np.int64, count=len(excluded)), f.size)
    return f, excluded, np.sort(mentee * f.size + mentor)


@dataclass(frozen=True, slots=True)
class Optimum:
    """An optimal b-matching over every pair of a :class:`Candidates`, and how it was reached.

    ``mentee``/``mentor`` are the matched member positions; ``counts`` is how many
    feasible mentors each member had; ``rounds`` the number of solves and
    ``edges`` the final graph's size.
    """

    mentee: np.ndarray
    mentor: np.ndarray
    counts: np.ndarray
    rounds: int
    edges: int


def optimum(
    f: Features,
    candidates: Candidates,
    capacity: np.ndarray,
    maxcardinality: bool,
    prune: int = DEFAULT_PRUNE,
) -> Optimum:
    """An optimal b-matching over every pair of ``candidates``, from its seed (module docstring).

    ``capacity`` is per mentor in ``f.mentors`` order.
    """
    seed = candidates.seed(capacity, maxcardinality, prune, SEED_SLACK)
    graph, counts = seed.graph, candidates.counts
    rounds = passes = negative = 0
    solution: BMatching | None = None
    while True:
        passes += 1
        left, right = np.searchsorted(f.mentees, graph.mentee), np.searchsorted(f.mentors, graph.mentor)
        problem = (len(f.mentees), capacity, left, right, graph.score)
        certified = None
        if solution is not None and negative <= CERTIFY_SHARE * len(f.mentees):
            last = np.r_[solution.left_potential, solution.right_potential]
            certified = certify_b_matching(
                *problem, solution.mate, maxcardinality, last, CERTIFY_ROUNDS, CERTIFY_REPAIRS
            )
        if certified is None:
            rounds += 1
            solution = solve_b_matching(*problem, maxcardinality, seed.potentials)
        else:
            solution = certified
        more, reduced = candidates.improving(solution, ADD_SLACK, ADD_PER_MENTEE, np.sort(graph.keys(f.size)))
        negative = int((reduced < 0).sum())
        if not negative:
            break
        if passes <= DROP_ROUNDS:
            useful = (solution.mate[left] == right) | (solution.price(left, right, graph.score) < DROP_ABOVE)
            graph = graph.take(np.flatnonzero(useful))
        graph = Pool.join([graph, more])
    matched = np.flatnonzero(solution.mate >= 0)
    return Optimum(f.mentees[matched], f.mentors[solution.mate[matched]], counts, rounds, len(graph))


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


def _fixed(
    f: Features, w: Weights, require: Iterable[tuple[str, str]], excluded: frozenset[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Mentee and mentor positions of the required pairs, checked: feasible, one mentor per mentee,
    within capacity."""
    pos = f.position
    mentees: list[int] = []
    mentors: list[int] = []
    load: dict[int, int] = {}
    for mentor, mentee in require:
        if mentor not in pos or mentee not in pos:
            unknown = mentor if mentor not in pos else mentee
            raise InfeasiblePair(mentor, mentee, reason("{member} isn't a member", member=unknown))
        a, b = pos[mentor], pos[mentee]
        if a * f.size + b in excluded:  # why stays private (a member's list, or ruled out earlier)
            names = {"mentor": f.members[a].name, "mentee": f.members[b].name}
            raise InfeasiblePair(
                mentor, mentee, reason("{mentor} and {mentee} aren't available as a pair", **names)
            )
        scored = score_pairs(f, w, np.asarray([b]), np.asarray([a]))
        if not (f.members[b].is_mentee and f.capacity[a] > 0 and scored.feasible[0]):
            raise InfeasiblePair(mentor, mentee, why_infeasible(f, w, b, a))
        if b in mentees:
            only_one = reason("{mentee} can have only one new mentor", mentee=f.members[b].name)
            raise InfeasiblePair(mentor, mentee, only_one)
        load[a] = load.get(a, 0) + 1
        if load[a] > f.capacity[a]:
            raise InfeasiblePair(
                mentor, mentee, reason("{mentor} has no more free slots", mentor=f.members[a].name)
            )
        mentees.append(b)
        mentors.append(a)
    return np.asarray(mentees, dtype=np.int64), np.asarray(mentors, dtype=np.int64)
