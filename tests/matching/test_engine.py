"""The whole round: invariants, exact optimality and the pruning certificate."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import InfeasiblePair, Member, PastPairing, match
from matching.bmatching import max_weight_b_matching
from matching.synthetic import random_history, random_workspace
from matching.weights import SCORE_SCALE, Weights
from tests.matching.conftest import WINTER, person
from tests.matching.oracles import brute_force

SKILLS = ["sql", "python", "kaggle", "model deployment", "stakeholder management"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Europe/Berlin"]


@st.composite
def workspaces(draw, max_members=9):
    n = draw(st.integers(1, max_members))
    ids = [f"u{k}" for k in range(n)]
    members = []
    for k, uid in enumerate(ids):
        skills = st.sampled_from(SKILLS)
        members.append(
            Member(
                id=uid,
                name=f"Member {k}",
                seniority=draw(st.sampled_from(["student", "junior", "mid", "senior", "staff"])),
                timezone=draw(st.sampled_from(ZONES)),
                team=draw(st.sampled_from(["a", "b", "c"])),
                role=draw(st.sampled_from(["data engineer", "data scientist", ""])),
                target_role=draw(st.sampled_from(["data engineer", "data scientist", ""])),
                manager=draw(st.sampled_from([None, *[i for i in ids if i != uid]])),
                strengths=draw(st.dictionaries(skills, st.integers(1, 5), max_size=3)),
                goals=draw(st.dictionaries(skills, st.integers(1, 3), max_size=3)),
                mentor_capacity=draw(st.integers(0, 3)),
                wants_mentor=draw(st.booleans()),
                paused=draw(st.booleans()) if k % 4 == 0 else False,
            )
        )
    history = [
        PastPairing(draw(st.sampled_from(ids)), draw(st.sampled_from(ids)), draw(st.integers(0, 30)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    waiting = {uid: draw(st.integers(0, 4)) for uid in ids if draw(st.booleans())}
    return members, history, waiting


@pytest.mark.slow  # hundreds of random workspaces: the full suite runs them
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.booleans(), st.sampled_from([0.0, 1.0, 2.0]))
def test_invariants_and_brute_force_optimum(ws, most_matched, rarity):
    members, history, waiting = ws
    result = match(
        members,
        history,
        waiting=waiting,
        at=WINTER,
        maxcardinality=most_matched,
        weights=Weights(rarity=rarity),
    )
    by_id = {m.id: m for m in members}

    load = Counter(p.mentor for p in result.pairs)
    for mentor, n in load.items():
        assert n <= by_id[mentor].mentor_capacity
    mentees = [p.mentee for p in result.pairs]
    assert len(mentees) == len(set(mentees))
    for p in result.pairs:
        mentor, mentee = by_id[p.mentor], by_id[p.mentee]
        assert mentor.id != mentee.id
        assert not mentor.paused and not mentee.paused
        assert mentee.wants_mentor
        assert mentee.manager != mentor.id and mentor.manager != mentee.id
        assert p.reasons

    unmatched = {u.id for u in result.unmatched}
    wanting = {m.id for m in members if m.wants_mentor}
    assert unmatched == wanting - set(mentees)
    assert all(u.reason for u in result.unmatched)

    size, total = brute_force(result.problem_graph(), maxcardinality=most_matched)
    assert round(result.total_score * SCORE_SCALE) == total
    if most_matched:
        assert len(result.pairs) == size


@pytest.mark.parametrize("most_matched", [True, False])
def test_extreme_pruning_still_reaches_the_optimum(most_matched):
    """With one candidate per mentee, the certificate loop must add back what matters (here the
    second solve's matching is then certified on the grown graph without a third solve)."""
    members = random_workspace(600, SKILLS + [f"skill {k}" for k in range(10)], seed=11)
    history = random_history(members, 200, seed=11)
    pruned = match(members, history, at=WINTER, prune=1, maxcardinality=most_matched)
    assert pruned.rounds > 1
    assert pruned.graph_edges < pruned.feasible_pairs
    graph = pruned.problem_graph()  # every feasible pair, solved in one go
    best = max_weight_b_matching(graph, maxcardinality=most_matched)
    if most_matched:
        assert len(pruned.pairs) == len(best)
    assert round(pruned.total_score * SCORE_SCALE) == sum(graph.edges[e]["weight"] for e in best)


def test_waiting_mentee_gets_the_contested_mentor():
    mentor = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    a = person("a", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    b = person("b", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    assert match([mentor, a, b], waiting={"b": 1}, at=WINTER).pairs[0].mentee == "b"
    assert match([mentor, a, b], waiting={"a": 1}, at=WINTER).pairs[0].mentee == "a"


def test_recent_pair_is_not_repeated_when_an_equal_alternative_exists():
    a = person("a", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, team="x")
    b = person("b", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, team="x")
    e = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    assert match([a, b, e], [PastPairing("a", "e", 2)], at=WINTER).pairs[0].mentor == "b"
    assert match([a, b, e], [PastPairing("b", "e", 2)], at=WINTER).pairs[0].mentor == "a"


def test_a_member_can_mentor_and_be_mentored_in_the_same_round():
    staff = person("s", seniority="staff", strengths={"architecture": 5}, mentor_capacity=1)
    mid = person(
        "m",
        seniority="mid",
        strengths={"sql": 5},
        goals={"architecture": 3},
        mentor_capacity=1,
        wants_mentor=True,
    )
    junior = person("j", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    pairs = {(p.mentor, p.mentee) for p in match([staff, mid, junior], at=WINTER).pairs}
    assert pairs == {("s", "m"), ("m", "j")}


def test_rarity_weight_favours_the_mentor_of_a_scarce_skill():
    """Kai wants sql and kaggle equally; one person teaches kaggle, three teach sql."""
    kai = person("kai", seniority="junior", goals={"sql": 3, "kaggle": 3}, wants_mentor=True)
    rare = person("rare", seniority="senior", strengths={"kaggle": 5}, mentor_capacity=1)
    common = [person(f"c{k}", seniority="senior", strengths={"sql": 5}, mentor_capacity=1) for k in range(3)]
    members = [kai, rare, *common]
    plain = match(members, at=WINTER, weights=Weights(rarity=0))
    score = {mentor: s for mentor, mentee, s in plain.candidates() if mentee == "kai"}
    assert score["rare"] == score["c0"]  # the same coverage without rarity

    weighted = match(members, at=WINTER, weights=Weights(rarity=1))
    score = {mentor: s for mentor, mentee, s in weighted.candidates() if mentee == "kai"}
    assert score["rare"] > score["c0"]
    (pair,) = weighted.pairs
    assert pair.mentor == "rare"
    assert any("few people here can teach kaggle" in str(r) for r in pair.reasons)


@pytest.mark.slow  # hundreds of random workspaces: the full suite runs them
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.booleans(), st.data())
def test_admin_choices_are_kept_and_the_rest_stays_optimal(ws, most_matched, data):
    """Pairs ruled out never appear, pairs insisted on always do, and the rest is the exact
    optimum of what is left (brute force on the problem with those pairs fixed)."""
    members, history, waiting = ws
    first = match(members, history, waiting=waiting, at=WINTER, maxcardinality=most_matched)
    options = sorted((a, b) for a, b, _ in first.candidates())
    exclude = set(data.draw(st.lists(st.sampled_from(options), max_size=3))) if options else set()
    left = [p for p in options if p not in exclude]
    require: list[tuple[str, str]] = []
    if left and data.draw(st.booleans()):
        require = [data.draw(st.sampled_from(left))]
    result = match(
        members,
        history,
        waiting=waiting,
        at=WINTER,
        maxcardinality=most_matched,
        exclude=exclude,
        require=require,
    )
    chosen = {(p.mentor, p.mentee) for p in result.pairs}
    assert not chosen & exclude
    assert set(require) <= chosen
    by_id = {m.id: m for m in members}
    for mentor, n in Counter(p.mentor for p in result.pairs).items():
        assert n <= by_id[mentor].mentor_capacity

    G = first.problem_graph()
    G.remove_edges_from((("mentor", a), ("mentee", b)) for a, b in exclude)
    fixed_weight = 0
    for a, b in require:
        fixed_weight += G.edges[("mentor", a), ("mentee", b)]["weight"]
        G.nodes[("mentor", a)]["capacity"] -= 1
        G.remove_node(("mentee", b))
    size, total = brute_force(G, maxcardinality=most_matched)
    assert round(result.total_score * SCORE_SCALE) == total + fixed_weight
    if most_matched:
        assert len(result.pairs) == size + len(require)


def test_an_impossible_required_pair_is_refused_with_the_reason():
    boss = person("boss", seniority="staff", strengths={"sql": 5}, mentor_capacity=2)
    report = person("rep", seniority="junior", goals={"sql": 3}, wants_mentor=True, manager="boss")
    other = person("oth", seniority="junior", goals={"kaggle": 3}, wants_mentor=True)
    with pytest.raises(InfeasiblePair, match="Boss manages Rep or reports to Rep"):
        match([boss, report, other], at=WINTER, require=[("boss", "rep")])
    with pytest.raises(InfeasiblePair, match="isn't stronger than Oth in anything Oth wants to learn"):
        match([boss, report, other], at=WINTER, require=[("boss", "oth")])
