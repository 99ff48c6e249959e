"""Peer circles: always valid, never above the proven optimum, and close to it on small workspaces."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.circles import form_circles, mutual_weights
from matching.features import encode
from matching.weights import Weights
from tests.matching.conftest import WINTER, person
from tests.matching.oracles import best_grouping
from tests.matching.test_engine import workspaces

#: Grouping is NP-hard and the local search is a heuristic: on small workspaces it usually
#: reaches the optimum (BENCHMARKS.md: 222 of 224, worst 88%); this is the floor held here.
NEAR = 0.75


@pytest.mark.slow  # hundreds of random workspaces: the full suite runs them
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(max_members=9), st.data())
def test_circles_are_valid_and_near_the_proven_optimum(ws, data):
    members, _, _ = ws
    ids = [m.id for m in members]
    exclude = set(data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3)))
    result = form_circles(members, at=WINTER, exclude=exclude)
    active = [m for m in members if not m.paused]
    placed = [i for c in result.circles for i in c.members]
    assert len(placed) == len(set(placed))
    assert sorted(placed + list(result.unplaced)) == sorted(m.id for m in active)
    by_id = {m.id: m for m in active}
    for circle in result.circles:
        assert 3 <= len(circle.members) <= 5
        assert {p for p, _ in circle.rotation} == set(circle.members)
        for a, b in itertools.combinations(circle.members, 2):
            x, y = by_id[a], by_id[b]
            assert abs(int(x.seniority) - int(y.seniority)) <= 1
            assert x.manager != b and y.manager != a
            assert (a, b) not in exclude and (b, a) not in exclude
    assert abs(result.total - sum(c.score for c in result.circles)) < 1e-6

    f = encode(active, at=WINTER)
    wts = mutual_weights(f, Weights(), exclude)
    optimum = best_grouping(wts.tolist(), 3, 5)
    assert result.total <= optimum + 1e-6  # never claims more than exhaustive search proves
    assert result.total >= NEAR * optimum - 1e-6


def test_a_complementary_group_becomes_one_circle_with_a_rotation():
    """Four people, each strong in what the next wants: one circle, each presenting their strength."""
    skills = ["sql", "python", "kaggle", "model deployment"]
    members = [
        person(
            f"p{k}",
            seniority="mid",
            strengths={skills[k]: 5},
            goals={skills[(k + 1) % 4]: 3},
        )
        for k in range(4)
    ]
    result = form_circles(members, at=WINTER)
    (circle,) = result.circles
    assert set(circle.members) == {"p0", "p1", "p2", "p3"} and result.unplaced == ()
    assert dict(circle.rotation) == {f"p{k}": skills[k] for k in range(4)}


def test_a_staff_member_and_a_student_never_share_a_circle():
    members = [
        person("staff", seniority="staff", strengths={"sql": 5}, goals={"python": 3}),
        person("student", seniority="student", strengths={"python": 4}, goals={"sql": 3}),
        person("mid", seniority="mid", strengths={"kaggle": 4}, goals={"sql": 2}),
    ]
    result = form_circles(members, at=WINTER)
    assert result.circles == () and set(result.unplaced) == {"staff", "student", "mid"}
