"""Shortlists: each mentee's few best mentors, drawn from optimal matchings so they don't collide.

In the shortlist format a mentee chooses their mentor from a handful of options.
Ranking each mentee's compatible mentors on their own would put the one popular
mentor with a single free slot on twenty lists; the lists must be computed
together, from the same optimal matching the automatic round uses.

Objective
---------
Each mentee gets up to ``size`` distinct mentors, every one a feasible pair (all
hard constraints, minus ``exclude``), such that the options of each rank, taken
across all mentees, form an optimal b-matching: no mentor is any rank's option
for more mentees than their free slots.

Method
------
Layered optimal matchings. Layer 1 is the round's optimal b-matching (the one
:func:`matching.match` returns, same objective): it decides who gets a list this
round, exactly the mentees automatic pairing would place. Layer ``k + 1`` is the
optimal b-matching of those mentees with every pair of layers ``1..k`` removed.
A mentee's list is their partner in each layer, in layer order. Mentees layer 1
leaves out get no list (and the reason), as in an automatic round: offering them
the same slots would only make them race the placed mentees for them. Each layer is
one :func:`matching.engine.optimum` over the pairs the earlier layers left.

Guarantees
----------
* Every option passes every hard constraint; no excluded pair is ever offered.
* Layer 1 is exactly the round's optimal matching and every listed mentee's
  first option comes from it: if everyone asks for their first option, the
  result is that optimum. Each later layer is optimal for what the earlier ones
  left.
* A mentor appears on at most ``capacity`` lists per rank, so on at most
  ``size x capacity`` lists in all (a one-slot mentor on at most ``size``).
* A mentee's options are distinct, best layer first.

Complexity: about ``size`` times one :func:`matching.match` (see BENCHMARKS.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching.candidates import find_candidates
from matching.engine import Pair, explained_pairs, optimum, prepare
from matching.explain import Unmatched, unmatched_reasons
from matching.profile import Member, PastPairing
from matching.weights import Weights

#: Options per mentee when a program doesn't say (programs choose 3 to 5).
DEFAULT_SIZE = 3


@dataclass(frozen=True, slots=True)
class Shortlist:
    """One mentee's options, best first (``options[0]`` is their optimal-matching mentor)."""

    mentee: str
    options: tuple[Pair, ...]


@dataclass(frozen=True, slots=True)
class ShortlistResult:
    shortlists: tuple[Shortlist, ...]  # by mentee id
    layers: tuple[tuple[Pair, ...], ...]  # the matchings the lists were drawn from, in order
    unmatched: tuple[Unmatched, ...]  # mentees wanting a mentor who got no list, and why


def shortlists(
    members: Sequence[Member],
    history: Iterable[PastPairing] = (),
    *,
    size: int = DEFAULT_SIZE,
    waiting: Mapping[str, int] | None = None,
    weights: Weights | None = None,
    at: datetime | None = None,
    maxcardinality: bool = True,
    exclude: Iterable[tuple[str, str]] = (),
) -> ShortlistResult:
    """Up to ``size`` mentors for every mentee, from layered optimal matchings (module docstring)."""
    if size < 1:
        raise ValueError("a shortlist holds at least one mentor")
    w = weights or Weights()
    f, excluded, ruled_out = prepare(members, history, waiting, w, at, exclude)
    options: dict[str, list[Pair]] = defaultdict(list)
    layers: list[tuple[Pair, ...]] = []
    mentees = f.mentees
    counts = None
    while len(layers) < size and len(mentees):
        found = optimum(f, find_candidates(f, w, ruled_out, mentees), f.capacity[f.mentors], maxcardinality)
        if counts is None:
            counts = found.counts
        if not len(found.mentee):
            break
        layer = explained_pairs(f, w, found.mentee, found.mentor)
        layers.append(layer)
        for pair in layer:
            options[pair.mentee].append(pair)
        if len(layers) == 1:  # only the mentees the first optimum places get a list
            mentees = found.mentee
        ruled_out = np.union1d(ruled_out, found.mentee * f.size + found.mentor)  # options are distinct
    listed = np.zeros(f.size, dtype=bool)
    if layers:
        listed[[f.position[p.mentee] for p in layers[0]]] = True
    unmatched = tuple(
        unmatched_reasons(f, w, np.zeros(f.size, np.int64) if counts is None else counts, listed, excluded)
    )
    return ShortlistResult(
        tuple(Shortlist(mentee, tuple(options[mentee])) for mentee in sorted(options)),
        tuple(layers),
        unmatched,
    )
