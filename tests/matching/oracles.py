"""Independent reference solvers for small instances."""

from __future__ import annotations

import functools
import itertools

import networkx as nx


def weight(G: nx.Graph, edges) -> int:
    return sum(G.edges[e]["weight"] for e in edges)


def brute_force(G: nx.Graph, maxcardinality: bool = True) -> tuple[int, int]:
    """Best (size, weight) over every assignment of left nodes to a neighbour or nobody.

    With ``maxcardinality`` the best is lexicographic (size first); without it,
    the largest weight (and the size of one assignment reaching it).
    """
    lefts = [u for u, s in G.nodes(data="bipartite") if s == 0]
    options = [[None, *G.neighbors(u)] for u in lefts]
    best = (0, 0)
    for choice in itertools.product(*options):
        load: dict = {}
        for v in choice:
            if v is not None:
                load[v] = load.get(v, 0) + 1
        if all(load[v] <= G.nodes[v].get("capacity", 1) for v in load):
            edges = [(u, v) for u, v in zip(lefts, choice, strict=True) if v is not None]
            value = (len(edges), weight(G, edges))
            key = value if maxcardinality else value[::-1]
            if key > (best if maxcardinality else best[::-1]):
                best = value
    return best


def best_grouping(weights, min_size: int, max_size: int) -> float:
    """The best total over every way to split members into groups of min..max (or leave them out).

    A group's value is the sum of its members' pairwise weights; groups holding a
    pair weighted below -1e5 (forbidden) don't count. Exponential: small n only.
    """

    n = len(weights)

    def clique(group) -> float | None:
        pairs = [weights[a][b] for a, b in itertools.combinations(group, 2)]
        return None if min(pairs) < -1e5 else float(sum(pairs))

    @functools.cache
    def best(mask: int) -> float:
        if mask == 0:
            return 0.0
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        result = best(rest)  # i left out
        others = [k for k in range(n) if rest >> k & 1]
        for r in range(min_size - 1, max_size):
            for combo in itertools.combinations(others, r):
                value = clique((i, *combo))
                if value is not None:
                    used = sum(1 << k for k in combo)
                    result = max(result, value + best(rest & ~used))
        return result

    return best((1 << n) - 1)
