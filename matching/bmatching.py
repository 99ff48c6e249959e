"""Exact maximum-weight bipartite b-matching, with an optimality certificate.

A *b-matching* of a bipartite graph picks edges so that every left node (a mentee)
is in at most one picked edge and every right node (a mentor) in at most its
``capacity``. This module finds one that is optimal for

* ``maxcardinality=True``: the most picked edges, and among those the largest
  total weight (lexicographic); or
* ``maxcardinality=False``: the largest total weight, whatever the size.

Method
------
The problem is a min-cost flow: source -> each left node (capacity 1) -> its
edges (capacity 1, cost ``-weight``) -> each right node -> sink (capacity
``capacity``). OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost``
finds the largest flow and, among the largest, the cheapest: exactly the
lexicographic objective, in int64 arithmetic, with no weights folded together
and no slot copies of the right nodes. Without ``maxcardinality`` each left node
also gets a cost-0 arc straight to the sink ("stay unmatched"), so the flow is
always full and only the weight counts.

Certificate
-----------
After the solve, two things are computed on the residual graph (source and sink
kept apart):

* the *cut*: the nodes the source still reaches. The flow is maximum, so this is
  a minimum cut; an edge from a reached left node to an unreached right node is
  the only kind whose addition could raise the maximum.
* *potentials*: shortest distances by a vectorised Bellman-Ford (exact int64).
  The flow is cheapest for its size, so there is no negative cycle and they
  exist; an edge with reduced cost ``-w + p[u] - p[v] >= 0`` adds no negative
  cycle.

Any feasible potentials certify, not only the shortest distances: given a guess
(``potentials``, e.g. an auction's prices), Bellman-Ford starts from it instead of
from zero and returns the largest feasible potentials below it. A guess close to
the duals of the *whole* problem (every pair, not only the graph's) leaves far
fewer of the edges left out priced below zero.

An absent edge priced ``>= 0`` by :meth:`BMatching.price` therefore cannot
improve the optimum, and the same holds for any *set* of such edges added at
once (the cut stays a minimum cut and the potentials stay feasible). That is how
:mod:`matching.engine` solves a pruned graph and still proves the answer exact
over every feasible pair.

:func:`certify_b_matching` computes the same certificate for a matching found
elsewhere (the previous solve, before edges were added): ``None`` when the sink is
still reachable (a larger matching exists) or Bellman-Ford does not settle within
its rounds (a negative cycle: a better one exists), so the caller solves instead.
With ``repairs`` it first cancels the negative cycles Bellman-Ford's parent arcs
close (pointer doubling finds them; one unit is pushed around each), a few times,
and certifies the better matching that leaves.

Limits: weights are integers with ``(nodes + 2) * max|weight|`` (plus the
largest guessed potential) below ``2**62``
(int64 sums of costs); past that :func:`solve_b_matching` raises
``OverflowError``. Scores in millionths leave room for millions of members.

Complexity
----------
OR-Tools' cost-scaling push-relabel is O(V^2 E log(V C)) in the worst case and
near-linear on these graphs in practice (0.2 s for 300,000 edges and 20,000
nodes here). The certificate is O(k * E) for ``k`` Bellman-Ford rounds (the
longest shortest path in arcs: tens in practice) plus one breadth-first search.
Memory is O(V + E).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from matching.groups import spans

if TYPE_CHECKING:  # the networkx front end takes graphs, but solving needs no networkx
    import networkx as nx

#: Costs, potentials and their differences must stay below this (int64 with headroom).
_EXACT = 2**62
#: Prices of edges that must be added (they cross the minimum cut) / can never help.
MUST_ADD = np.iinfo(np.int64).min
NEVER = np.iinfo(np.int64).max


class NotBipartiteError(ValueError):
    """The graph's ``bipartite`` node labels do not describe a bipartite graph."""


@dataclass(frozen=True, slots=True)
class BMatching:
    """An optimal b-matching on integer-indexed nodes, and its certificate.

    ``mate[u]`` is the right node matched to left node ``u`` (-1: unmatched).
    ``left_potential``/``right_potential`` are the residual graph's Bellman-Ford
    potentials; ``left_reached``/``right_reached`` mark the source side of the
    minimum cut.
    """

    mate: np.ndarray
    left_potential: np.ndarray
    right_potential: np.ndarray
    left_reached: np.ndarray
    right_reached: np.ndarray
    maxcardinality: bool

    def price(self, left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Reduced cost of each edge ``(left[k], right[k])``: negative means it could improve.

        Edges that cross the minimum cut (could raise the number matched) price at
        :data:`MUST_ADD`, the smallest int64. Edges that cannot be added (already
        matched) or that the objective ignores (weight <= 0 without
        ``maxcardinality``) price at :data:`NEVER`. Any set of edges priced >= 0
        can be added without changing the optimum (module docstring).
        """
        weight = np.asarray(weight, dtype=np.int64)
        reduced = -weight + self.left_potential[left] - self.right_potential[right]
        reduced[self.left_reached[left] & ~self.right_reached[right]] = MUST_ADD
        ignored = self.mate[left] == right
        if not self.maxcardinality:
            ignored |= weight <= 0
        reduced[ignored] = NEVER
        return reduced

    @classmethod
    def estimate(
        cls, left_potential: np.ndarray, right_potential: np.ndarray, maxcardinality: bool
    ) -> BMatching:
        """No matching and no cut, only estimated potentials: :meth:`price` then says how far
        each edge is from improving under the estimate (how a starting graph is picked)."""
        n_left, n_right = len(left_potential), len(right_potential)
        return cls(
            np.full(n_left, -1, dtype=np.int64),
            np.asarray(left_potential, dtype=np.int64),
            np.asarray(right_potential, dtype=np.int64),
            np.zeros(n_left, dtype=bool),
            np.zeros(n_right, dtype=bool),
            maxcardinality,
        )

    @property
    def size(self) -> int:
        return int((self.mate >= 0).sum())


def solve_b_matching(
    n_left: int,
    capacity: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    maxcardinality: bool = True,
    potentials: np.ndarray | None = None,
) -> BMatching:
    """Optimal b-matching on nodes ``0..n_left-1`` and ``0..len(capacity)-1``.

    ``left``, ``right`` and ``weight`` list the edges (integer weights; parallel
    edges are not allowed). With ``maxcardinality=False`` edges of weight <= 0 are
    never worth taking and are ignored. ``potentials`` (left nodes, then right
    ones) is a guess the certificate's potentials start from (module docstring);
    the matching does not depend on it.

    Raises ``OverflowError`` when ``(nodes + 2) * max|weight|`` reaches ``2**62``.
    """
    flow = _Flow.of(n_left, capacity, left, right, weight, maxcardinality, potentials)
    mate = _min_cost_flow(flow)
    certified = _certificate(flow, mate, potentials, None)
    if certified is None:  # a maximum flow of least cost always has its certificate
        raise ArithmeticError("min-cost flow returned a flow that is not optimal")
    return certified


def certify_b_matching(
    n_left: int,
    capacity: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    mate: np.ndarray,
    maxcardinality: bool = True,
    potentials: np.ndarray | None = None,
    max_rounds: int = 500,
    repairs: int = 0,
) -> BMatching | None:
    """The certificate of a b-matching found elsewhere, if it is optimal on these edges.

    ``mate[u]`` is left node ``u``'s right node or -1; every matched pair must be
    an edge. Returns the :class:`BMatching` (what :func:`solve_b_matching` would
    return for it) when the matching is optimal and Bellman-Ford, started from
    ``potentials``, settles within ``max_rounds`` rounds; ``None`` when it is not
    optimal (an augmenting path, under ``maxcardinality``, or a negative cycle) or
    when the rounds run out first: the caller then solves. Started from potentials
    that were feasible before a few edges were added, it settles in a few rounds.

    With ``repairs``, a matching that is not optimal only because of negative cycles
    is improved first, up to that many times: the cycles Bellman-Ford's parent arcs
    close when it does not settle are cancelled (each raises the total weight), and
    the certificate is sought again. The answer is then that better matching's.
    """
    flow = _Flow.of(n_left, capacity, left, right, weight, maxcardinality, potentials)
    return _certificate(flow, np.asarray(mate, dtype=np.int64), potentials, max_rounds, repairs)


@dataclass(frozen=True, slots=True)
class _Flow:
    """A b-matching problem as the flow network's int64 arrays (module docstring): the left
    nodes, the right nodes' capacities, and the edges the objective counts."""

    n_left: int
    capacity: np.ndarray
    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    maxcardinality: bool

    @classmethod
    def of(
        cls,
        n_left: int,
        capacity: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        weight: np.ndarray,
        maxcardinality: bool,
        potentials: np.ndarray | None,
    ) -> _Flow:
        """Without ``maxcardinality``, edges of weight <= 0 are left out (never worth taking).
        Raises ``OverflowError`` when int64 sums of costs and ``potentials`` could overflow."""
        flow = cls(
            n_left,
            np.asarray(capacity, dtype=np.int64),
            np.asarray(left, dtype=np.int64),
            np.asarray(right, dtype=np.int64),
            np.asarray(weight, dtype=np.int64),
            maxcardinality,
        )
        if not maxcardinality:
            keep = flow.weight > 0
            flow = cls(n_left, flow.capacity, flow.left[keep], flow.right[keep], flow.weight[keep], False)
        guess = (
            0 if potentials is None else int(np.abs(np.asarray(potentials, dtype=np.int64)).max(initial=0))
        )
        if flow.nodes * (int(np.abs(flow.weight).max(initial=0)) + 1) + guess >= _EXACT:
            raise OverflowError("weights too large for exact int64 matching; scale them down")
        return flow

    @property
    def nodes(self) -> int:
        """Left nodes, right nodes, the source and the sink (numbered in that order)."""
        return self.n_left + len(self.capacity) + 2


def _certificate(
    flow: _Flow, mate: np.ndarray, potentials: np.ndarray | None, max_rounds: int | None, repairs: int = 0
) -> BMatching | None:
    """Cut and potentials of ``mate``'s residual graph (module docstring), or ``None`` when the
    sink is reachable (not a maximum flow) or Bellman-Ford does not settle in ``max_rounds``
    (after cancelling the cycles it closes, up to ``repairs`` times)."""
    n_nodes, n_left = flow.nodes, flow.n_left
    source = n_nodes - 2
    start = np.zeros(n_nodes, dtype=np.int64)
    if potentials is not None:
        start[:source] = potentials
    for attempt in range(repairs + 1):
        tail, head, cost = _residual(flow, mate)
        reached = _reachable(n_nodes, tail, head, source)
        if reached[source + 1]:
            return None
        potential, parent = _bellman_ford(start, tail, head, cost, max_rounds, parents=attempt < repairs)
        if potential is not None:
            return BMatching(
                mate,
                potential[:n_left],
                potential[n_left:source],
                reached[:n_left],
                reached[n_left:source],
                flow.maxcardinality,
            )
        cycle = np.zeros(0, dtype=np.int64) if parent is None else _cycle_arcs(parent, tail)
        if len(cycle) == 0:
            break
        mate = _cancel(flow, mate, tail[cycle], head[cycle])
    return None


def _min_cost_flow(flow: _Flow) -> np.ndarray:
    """Solve the flow (module docstring); return each left node's right node or -1."""
    n_left, capacity, left, right, weight = flow.n_left, flow.capacity, flow.left, flow.right, flow.weight
    mate = np.full(n_left, -1, dtype=np.int64)
    if n_left == 0 or len(left) == 0:
        return mate
    n_right = len(capacity)
    source, sink = n_left + n_right, n_left + n_right + 1
    lefts = np.arange(n_left)
    rights = np.arange(n_right)
    parts = [
        (left, n_left + right, np.ones(len(left)), -weight),
        (np.full(n_left, source), lefts, np.ones(n_left), np.zeros(n_left)),
        (n_left + rights, np.full(n_right, sink), capacity, np.zeros(n_right)),
    ]
    if not flow.maxcardinality:
        parts.append((lefts, np.full(n_left, sink), np.ones(n_left), np.zeros(n_left)))
    tails, heads, caps, costs = (
        np.concatenate(column).astype(np.int64) for column in zip(*parts, strict=True)
    )
    solver = SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    solver.set_node_supply(source, n_left)
    solver.set_node_supply(sink, -n_left)
    status = solver.solve_max_flow_with_min_cost()
    if status == SimpleMinCostFlow.BAD_COST_RANGE:
        raise OverflowError("weights too large for exact int64 matching; scale them down")
    if status != SimpleMinCostFlow.OPTIMAL:
        raise ArithmeticError(f"min-cost flow failed: {status.name}")
    used = solver.flows(np.arange(len(left))) > 0
    mate[left[used]] = right[used]
    return mate


def _residual(flow: _Flow, mate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The residual graph's arcs (tail, head, cost) for the flow that ``mate`` describes.

    Nodes: left ``0..n_left-1``, right ``n_left..``, then the source and the sink.
    """
    n_left, capacity, left, right, weight = flow.n_left, flow.capacity, flow.left, flow.right, flow.weight
    n_right = len(capacity)
    source, sink = n_left + n_right, n_left + n_right + 1
    matched_edge = mate[left] == right
    load = np.bincount(mate[mate >= 0], minlength=n_right)
    lone = np.flatnonzero(mate < 0)
    paired = np.flatnonzero(mate >= 0)
    free = n_left + np.flatnonzero(load < capacity)
    busy = n_left + np.flatnonzero(load > 0)
    arcs = [
        (left[~matched_edge], n_left + right[~matched_edge], -weight[~matched_edge]),
        (n_left + right[matched_edge], left[matched_edge], weight[matched_edge]),
        (free, np.full(len(free), sink), None),
        (np.full(len(busy), sink), busy, None),
    ]
    if flow.maxcardinality:  # source -> a lone left node still has room; a paired one can give back
        arcs += [(np.full(len(lone), source), lone, None), (paired, np.full(len(paired), source), None)]
    else:  # every left node carries one unit, through a right node or straight to the sink
        everyone = np.arange(n_left)
        arcs += [
            (everyone, np.full(n_left, source), None),
            (paired, np.full(len(paired), sink), None),
            (np.full(len(lone), sink), lone, None),
        ]
    tail = np.concatenate([a for a, _, _ in arcs]).astype(np.int64)
    head = np.concatenate([b for _, b, _ in arcs]).astype(np.int64)
    cost = np.concatenate([c if c is not None else np.zeros(len(a), np.int64) for a, _, c in arcs])
    return tail, head, cost.astype(np.int64)


def _bellman_ford(
    start: np.ndarray,
    tail: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
    max_rounds: int | None = None,
    parents: bool = False,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Shortest distances from a virtual source joined to every node ``v`` at cost ``start[v]``.

    Each round relaxes all arcs at once with ``np.minimum.reduceat``; rounds stop
    as soon as nothing changes (at most ``n``, else there is a negative cycle).
    The distances are ``None`` when that takes more than ``max_rounds`` rounds, or
    there is a negative cycle. With ``parents``, also each node's last improving
    arc (an index into the arcs given; -1 for none): a cycle of parent arcs is a
    negative cycle.
    """
    n = len(start)
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    dist = start.copy()
    parent = np.full(n, -1, dtype=np.int64) if parents else None
    if len(head) == 0:
        return dist, parent
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
    sizes = np.diff(np.r_[starts, len(head)])
    targets = head[starts]
    for _ in range(n + 1 if max_rounds is None else min(n + 1, max_rounds)):
        reach = dist[tail] + cost
        best = np.minimum.reduceat(reach, starts)
        better = np.flatnonzero(best < dist[targets])
        if len(better) == 0:
            return dist, parent
        dist[targets[better]] = best[better]
        if parent is not None:  # the first arc of each improved node's segment that reaches its best
            arcs = spans(starts[better], sizes[better])
            hit = np.where(reach[arcs] == np.repeat(best[better], sizes[better]), arcs, len(reach))
            parent[targets[better]] = order[
                np.minimum.reduceat(hit, np.cumsum(sizes[better]) - sizes[better])
            ]
    return None, parent


def _cycle_arcs(parent: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """The arcs of every cycle of parent arcs (each node has at most one, so cycles are disjoint).

    Following parents ``2**k >= n`` times from every node lands on a cycle or
    nowhere, and each cycle node is reached so (parents permute a cycle): those
    nodes' parent arcs are the cycles. O(n log n) by pointer doubling.
    """
    n = len(parent)
    up = np.where(parent >= 0, tail[np.maximum(parent, 0)], -1)
    for _ in range(max(1, int(n).bit_length())):
        up = np.where(up >= 0, up[np.maximum(up, 0)], -1)
    on_cycle = np.unique(up[up >= 0])
    return parent[on_cycle]


def _cancel(flow: _Flow, mate: np.ndarray, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    """``mate`` with one unit pushed around each cycle of residual arcs ``tail -> head``.

    On a cycle each left node has one arc in and one out: a matched edge given
    back (right -> left) and an edge taken (left -> right), or the source's arcs
    when it joins or leaves the matching. Arcs through the sink only move load.
    """
    n_left, n_right = flow.n_left, len(flow.capacity)
    mate = mate.copy()
    given_back = (tail >= n_left) & (tail < n_left + n_right) & (head < n_left)
    mate[head[given_back]] = -1
    taken = (tail < n_left) & (head >= n_left) & (head < n_left + n_right)
    mate[tail[taken]] = head[taken] - n_left
    return mate


def _reachable(n: int, tail: np.ndarray, head: np.ndarray, start: int) -> np.ndarray:
    """The nodes a path of arcs ``tail -> head`` reaches from ``start``: breadth first, a level at a time."""
    order = np.argsort(tail, kind="stable")
    head = head[order]
    first = np.searchsorted(tail[order], np.arange(n + 1))
    reached = np.zeros(n, dtype=bool)
    reached[start] = True
    level = np.asarray([start])
    while len(level):
        sizes = first[level + 1] - first[level]
        arcs = spans(first[level], sizes)
        level = np.unique(head[arcs][~reached[head[arcs]]])
        reached[level] = True
    return reached


@dataclass(frozen=True, slots=True)
class GraphSolution:
    """:class:`BMatching` on a networkx graph, with the node order it used."""

    lefts: list[Hashable]
    rights: list[Hashable]
    matching: BMatching

    def edges(self) -> set[tuple[Hashable, Hashable]]:
        return {(self.lefts[u], self.rights[int(v)]) for u, v in enumerate(self.matching.mate) if v >= 0}


def solve_graph(
    G: nx.Graph[Hashable],
    maxcardinality: bool = True,
    weight: str = "weight",
    capacity: str = "capacity",
) -> GraphSolution:
    """Solve the b-matching problem stated by ``G`` (see :func:`max_weight_b_matching`)."""
    lefts = [u for u in G if G.nodes[u].get("bipartite") == 0]
    rights = [u for u in G if G.nodes[u].get("bipartite") == 1]
    if len(lefts) + len(rights) != G.number_of_nodes():
        raise NotBipartiteError("every node needs bipartite=0 or bipartite=1")
    li = {u: k for k, u in enumerate(lefts)}
    ri = {u: k for k, u in enumerate(rights)}
    edges = []
    for u, v, w in G.edges(data=weight, default=1):
        if u in ri:
            u, v = v, u
        if u not in li or v not in ri:
            raise NotBipartiteError(f"edge {u!r}-{v!r} does not join the two sides")
        if int(w) != w:
            raise ValueError(f"edge {u!r}-{v!r}: weight {w!r} is not an integer")
        edges.append((li[u], ri[v], int(w)))
    arr = np.asarray(edges, dtype=np.int64).reshape(-1, 3)
    caps = np.asarray([G.nodes[v].get(capacity, 1) for v in rights], dtype=np.int64)
    result = solve_b_matching(len(lefts), caps, arr[:, 0], arr[:, 1], arr[:, 2], maxcardinality)
    return GraphSolution(lefts, rights, result)


def max_weight_b_matching(
    G: nx.Graph[Hashable],
    maxcardinality: bool = True,
    weight: str = "weight",
    capacity: str = "capacity",
) -> set[tuple[Hashable, Hashable]]:
    """An optimal b-matching of the bipartite graph ``G``, as ``(left, right)`` edges.

    Nodes carry ``bipartite=0`` (left: matched at most once) or ``bipartite=1``
    (right: matched at most ``capacity`` times, default 1). Edge weights must be
    integers. The objective is the one described in the module docstring.

    Mirrors :func:`networkx.max_weight_matching`, which is the special case of
    all capacities 1 (and serves as this function's test oracle).
    """
    return solve_graph(G, maxcardinality, weight, capacity).edges()
