"""Shortlists: every option feasible, capacities respected across everyone's lists, layers optimal."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import match
from matching.shortlist import shortlists
from matching.weights import SCORE_SCALE
from tests.matching.conftest import WINTER, person
from tests.matching.oracles import brute_force
from tests.matching.test_engine import workspaces


@pytest.mark.slow  # hundreds of random workspaces: the full suite runs them
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(max_members=8), st.booleans(), st.integers(1, 4), st.data())
def test_lists_are_feasible_capacity_safe_and_drawn_from_optimal_layers(ws, most_matched, size, data):
    members, history, waiting = ws
    plain = match(members, history, waiting=waiting, at=WINTER, maxcardinality=most_matched)
    feasible = sorted((a, b) for a, b, _ in plain.candidates())
    exclude = data.draw(st.lists(st.sampled_from(feasible), max_size=3, unique=True)) if feasible else []
    result = shortlists(
        members, history, size=size, waiting=waiting, at=WINTER, maxcardinality=most_matched, exclude=exclude
    )
    by_id = {m.id: m for m in members}
    allowed = set(feasible) - set(exclude)

    assert len(result.layers) <= size
    for entry in result.shortlists:
        mentors = [p.mentor for p in entry.options]
        assert 1 <= len(mentors) <= size and len(set(mentors)) == len(mentors)
        for p in entry.options:
            assert p.mentee == entry.mentee and (p.mentor, p.mentee) in allowed  # never an excluded pair
            assert p.reasons
    for layer in result.layers:  # each rank of options fits every mentor's free slots
        assert all(n <= by_id[m].mentor_capacity for m, n in Counter(p.mentor for p in layer).items())
    load = Counter(p.mentor for e in result.shortlists for p in e.options)
    assert all(n <= size * by_id[m].mentor_capacity for m, n in load.items())

    wanting = {m.id for m in members if m.wants_mentor}
    listed = {e.mentee for e in result.shortlists}
    assert {u.id for u in result.unmatched} == wanting - listed

    first = result.layers[0] if result.layers else ()
    assert {e.mentee for e in result.shortlists} == {p.mentee for p in first}  # the optimum decides who
    assert all(e.options[0] in first for e in result.shortlists)
    if not exclude:  # layer 1 is the automatic round's optimum, pair for pair
        assert set(first) == set(plain.pairs)
    graph = plain.problem_graph()  # each layer is optimal for what the earlier layers left
    graph.remove_edges_from((("mentee", b), ("mentor", a)) for a, b in exclude)
    for k, layer in enumerate(result.layers):
        if k == 1:  # later layers are over the mentees layer 1 placed
            graph.remove_nodes_from([("mentee", m.id) for m in members if m.id not in listed])
        best_size, best_total = brute_force(graph, maxcardinality=most_matched)
        assert sum(round(p.score * SCORE_SCALE) for p in layer) == best_total
        if most_matched:
            assert len(layer) == best_size
        graph.remove_edges_from((("mentee", p.mentee), ("mentor", p.mentor)) for p in layer)


def test_a_one_slot_mentor_is_not_everyones_first_option():
    """Twenty mentees want the one skill a single one-slot star teaches best: one gets the star first."""
    star = person("star", seniority="staff", strengths={"sql": 5}, mentor_capacity=1)
    others = [person(f"m{k}", seniority="senior", strengths={"sql": 3}, mentor_capacity=2) for k in range(6)]
    mentees = [
        person(f"e{k:02d}", seniority="junior", goals={"sql": 3}, wants_mentor=True) for k in range(20)
    ]
    result = shortlists([star, *others, *mentees], size=3, at=WINTER)

    firsts = Counter(e.options[0].mentor for e in result.shortlists)
    assert firsts["star"] == 1
    assert sum(p.mentor == "star" for e in result.shortlists for p in e.options) <= 3
    assert len(result.shortlists) == 13  # 13 places: the 7 others are told why, not sent racing
    assert {u.id for u in result.unmatched} == {m.id for m in mentees} - {e.mentee for e in result.shortlists}
    assert all(len(e.options) == 3 for e in result.shortlists)


def test_size_must_be_positive():
    with pytest.raises(ValueError, match="at least one"):
        shortlists([person("a")], size=0)
