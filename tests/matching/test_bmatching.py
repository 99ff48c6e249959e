"""The exact b-matching solver against networkx's blossom algorithm and brute force."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.bmatching import (
    NotBipartiteError,
    certify_b_matching,
    max_weight_b_matching,
    solve_b_matching,
)
from tests.matching.oracles import brute_force, weight


@st.composite
def bipartite_graphs(draw, max_left=6, max_right=5, max_capacity=1):
    n_left = draw(st.integers(0, max_left))
    n_right = draw(st.integers(0, max_right))
    G = nx.Graph()
    G.add_nodes_from((("l", i), {"bipartite": 0}) for i in range(n_left))
    for j in range(n_right):
        G.add_node(("r", j), bipartite=1, capacity=draw(st.integers(1, max_capacity)))
    for i in range(n_left):
        for j in range(n_right):
            if draw(st.booleans()):
                G.add_edge(("l", i), ("r", j), weight=draw(st.integers(1, 30)))
    return G


@settings(max_examples=300, deadline=None)
@given(bipartite_graphs(), st.booleans())
def test_unit_capacity_agrees_with_networkx_blossom(G, maxcardinality):
    ours = max_weight_b_matching(G, maxcardinality=maxcardinality)
    ref = nx.max_weight_matching(G, maxcardinality=maxcardinality)
    assert weight(G, ours) == weight(G, ref)
    if maxcardinality:
        assert len(ours) == len(ref)


@settings(max_examples=200, deadline=None)
@given(bipartite_graphs(max_left=6, max_right=3, max_capacity=3))
def test_capacities_agree_with_brute_force(G):
    ours = max_weight_b_matching(G)
    load: dict = {}
    for u, v in ours:
        assert G.has_edge(u, v)
        load[v] = load.get(v, 0) + 1
    assert all(n <= G.nodes[v]["capacity"] for v, n in load.items())
    assert len({u for u, _ in ours}) == len(ours)
    assert (len(ours), weight(G, ours)) == brute_force(G)


def test_cardinality_comes_before_weight():
    # One heavy edge, or two light ones that match both mentees.
    G = nx.Graph()
    G.add_nodes_from([("a", {"bipartite": 0}), ("b", {"bipartite": 0})])
    G.add_nodes_from([("x", {"bipartite": 1}), ("y", {"bipartite": 1})])
    G.add_weighted_edges_from([("a", "x", 100), ("a", "y", 1), ("b", "x", 1)])
    assert max_weight_b_matching(G) == {("a", "y"), ("b", "x")}
    assert max_weight_b_matching(G, maxcardinality=False) == {("a", "x")}


def _arrays(G, lefts, rights):
    li = {u: k for k, u in enumerate(lefts)}
    ri = {v: k for k, v in enumerate(rights)}
    rows = [(li[u], ri[v], w) if u in li else (li[v], ri[u], w) for u, v, w in G.edges(data="weight")]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return arr[:, 0], arr[:, 1], arr[:, 2]


def _grown(G, data, maxcardinality):
    """A random subgraph's optimal matching, and the whole graph to certify it on."""
    lefts = [u for u, s in G.nodes(data="bipartite") if s == 0]
    rights = [u for u, s in G.nodes(data="bipartite") if s == 1]
    left, right, w = _arrays(G, lefts, rights)
    kept = np.array(data.draw(st.lists(st.booleans(), min_size=len(w), max_size=len(w))), dtype=bool)
    caps = np.array([G.nodes[v]["capacity"] for v in rights], dtype=np.int64)
    part = solve_b_matching(len(lefts), caps, left[kept], right[kept], w[kept], maxcardinality)
    whole = solve_b_matching(len(lefts), caps, left, right, w, maxcardinality)

    def value(mate):
        return int((mate >= 0).sum()) if maxcardinality else 0, int(w[mate[left] == right].sum())

    problem = (len(lefts), caps, left, right, w)
    last = np.r_[part.left_potential, part.right_potential]
    return problem, part, value(part.mate), value(whole.mate), value, last


@settings(max_examples=300, deadline=None)
@given(bipartite_graphs(max_left=6, max_right=4, max_capacity=2), st.data(), st.booleans())
def test_a_matching_is_certified_on_a_larger_graph_exactly_when_it_is_still_optimal(G, data, maxcardinality):
    """Solve a subgraph, add the other edges, certify the old matching on the whole graph."""
    problem, part, had, best, _, last = _grown(G, data, maxcardinality)

    checked = certify_b_matching(*problem, part.mate, maxcardinality, last)

    if had < best:  # a better matching exists: never certified
        assert checked is None
    else:  # still optimal: certified, and its potentials price every edge >= 0
        assert checked is not None and np.array_equal(checked.mate, part.mate)
        assert (checked.price(*problem[2:]) >= 0).all()


@settings(max_examples=300, deadline=None)
@given(bipartite_graphs(max_left=7, max_right=4, max_capacity=2), st.data(), st.booleans())
def test_repairs_cancel_negative_cycles_up_to_the_optimum(G, data, maxcardinality):
    """A matching short of the optimum only in weight is repaired to it; one short in size is not."""
    problem, part, had, best, value, last = _grown(G, data, maxcardinality)
    _, caps, left, right, w = problem

    repaired = certify_b_matching(*problem, part.mate, maxcardinality, last, repairs=len(w) + 1)

    if had[0] < best[0]:  # a larger matching exists: the solver's job
        assert repaired is None
    else:
        assert repaired is not None and value(repaired.mate) == best
        assert (repaired.price(left, right, w) >= 0).all()
        loads = np.bincount(repaired.mate[repaired.mate >= 0], minlength=len(caps))
        assert (loads <= caps).all()
        matched = repaired.mate >= 0
        pairs = set(zip(left.tolist(), right.tolist(), strict=True))
        taken = zip(np.flatnonzero(matched).tolist(), repaired.mate[matched].tolist(), strict=True)
        assert all(pair in pairs for pair in taken)


def test_certifying_gives_up_after_its_rounds():
    # Optimal, but the potentials start far from feasible: zero rounds cannot settle them.
    left, right, w = np.array([0, 1]), np.array([0, 0]), np.array([5, 3])
    mate = np.array([0, -1])
    assert certify_b_matching(2, np.array([1]), left, right, w, mate, potentials=None, max_rounds=0) is None
    assert certify_b_matching(2, np.array([1]), left, right, w, mate) is not None


@settings(max_examples=200, deadline=None)
@given(bipartite_graphs(max_left=6, max_right=4, max_capacity=2), st.data())
def test_price_certifies_left_out_edges(G, data):
    """Edges priced >= 0 never change the optimum; an edge that does is always priced < 0.

    Whatever guess the potentials start from (none, or any integers).
    """
    lefts = [u for u, s in G.nodes(data="bipartite") if s == 0]
    rights = [u for u, s in G.nodes(data="bipartite") if s == 1]
    left, right, w = _arrays(G, lefts, rights)
    kept = np.array(data.draw(st.lists(st.booleans(), min_size=len(w), max_size=len(w))), dtype=bool)
    caps = np.array([G.nodes[v]["capacity"] for v in rights], dtype=np.int64)
    nodes = len(lefts) + len(rights)
    guess = data.draw(st.none() | st.lists(st.integers(-80, 80), min_size=nodes, max_size=nodes))
    sol = solve_b_matching(len(lefts), caps, left[kept], right[kept], w[kept], potentials=guess)
    price = sol.price(left, right, w)
    assert (price[kept & (sol.mate[left] != right)] >= 0).all()

    def best(mask):
        r = solve_b_matching(len(lefts), caps, left[mask], right[mask], w[mask])
        return r.size, int(sum(w[mask][r.mate[left[mask]] == right[mask]]))

    base = best(kept)
    assert best(kept | (price >= 0)) == base
    for k in np.flatnonzero(~kept):
        with_k = kept.copy()
        with_k[k] = True
        if best(with_k) > base:
            assert price[k] < 0


def test_rejects_non_bipartite_labels_and_fractional_weights():
    G = nx.Graph()
    G.add_node("a", bipartite=0)
    G.add_node("b")
    with pytest.raises(NotBipartiteError):
        max_weight_b_matching(G)
    H = nx.Graph()
    H.add_node("a", bipartite=0)
    H.add_node("x", bipartite=1)
    H.add_edge("a", "x", weight=1.5)
    with pytest.raises(ValueError, match="not an integer"):
        max_weight_b_matching(H)


def test_weights_past_float_precision_are_solved_exactly():
    """Past 2**53 float64 rounds odd integers: both matchings below would total 2**54 + 8."""
    big = 2**53
    left, right = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    weight = np.array([big + 3, big + 4, big + 3, big + 3])  # exact totals: straight 2b+6, crossed 2b+7
    assert float(weight[0] + weight[3]) == float(weight[1] + weight[2])
    for maxcardinality in (True, False):
        sol = solve_b_matching(2, np.array([1, 1]), left, right, weight, maxcardinality)
        assert sol.mate.tolist() == [1, 0]
        assert (sol.price(left, right, weight)[[0, 3]] >= 0).all()


def test_overflow_past_int64_is_refused_not_silently_wrapped():
    with pytest.raises(OverflowError):
        solve_b_matching(10, np.array([1]), np.array([0]), np.array([0]), np.array([2**60]))
