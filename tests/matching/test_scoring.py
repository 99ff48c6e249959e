"""Each score component, checked against values worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from matching.features import encode
from matching.profile import PastPairing
from matching.scoring import BOUND_MARGIN, FitBound, score_pairs
from matching.weights import SCORE_SCALE, Weights
from tests.matching.conftest import WINTER, person

W = Weights()


def one(mentor, mentee, history=(), waiting=None, weights=W):
    f = encode([mentee, mentor], history, waiting, WINTER)
    return score_pairs(f, weights, np.array([0]), np.array([1]))


def test_coverage_is_priority_weighted_and_capped_at_three_levels_lead():
    mentee = person("e", seniority="junior", goals={"sql": 3, "python": 1}, wants_mentor=True)
    mentor = person("m", seniority="senior", strengths={"sql": 2, "python": 5}, mentor_capacity=1)
    s = one(mentor, mentee)
    # sql: lead 2 of 3 -> 2/3 credit at priority 3; python: lead 5 capped at 3 -> full credit at 1.
    assert s.coverage[0] == pytest.approx((3 * 2 / 3 + 1 * 1) / 4)


def test_coverage_counts_only_levels_above_the_mentees_own():
    mentee = person("e", goals={"sql": 2}, strengths={"sql": 4}, wants_mentor=True)
    weaker = person("m", seniority="senior", strengths={"sql": 4}, mentor_capacity=1)
    stronger = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    assert one(weaker, mentee).coverage[0] == 0
    assert not one(weaker, mentee).feasible[0]
    assert one(stronger, mentee).coverage[0] == pytest.approx(1 / 3)


@pytest.mark.parametrize(("mentor_level", "fit"), [("mid", 0.2), ("senior", 0.9), ("staff", 1.0)])
def test_seniority_gap_prefers_a_moderate_lead(mentor_level, fit):
    mentee = person("e", seniority="junior", goals={"sql": 1}, wants_mentor=True)
    mentor = person("m", seniority=mentor_level, strengths={"sql": 5}, mentor_capacity=1)
    base = person("m", seniority="junior", strengths={"sql": 5}, mentor_capacity=1)
    delta = one(mentor, mentee).fit[0] - one(base, mentee).fit[0]
    gap_fit = {"mid": W.seniority_fit[1], "senior": W.seniority_fit[2], "staff": W.seniority_fit[3]}
    assert delta == round(W.seniority * (gap_fit[mentor_level] - W.seniority_fit[0]) * SCORE_SCALE)


def test_a_mentor_junior_to_the_mentee_is_infeasible():
    mentee = person("e", seniority="senior", goals={"sql": 3}, wants_mentor=True)
    mentor = person("m", seniority="mid", strengths={"sql": 5}, mentor_capacity=1)
    assert not one(mentor, mentee).feasible[0]


def test_target_role_bonus_only_when_the_mentor_holds_that_role():
    mentee = person("e", seniority="junior", goals={"sql": 3}, target_role="Data Engineer", wants_mentor=True)
    holds = person("m", seniority="senior", role="data engineer", strengths={"sql": 5}, mentor_capacity=1)
    other = person("m", seniority="senior", role="data analyst", strengths={"sql": 5}, mentor_capacity=1)
    assert one(holds, mentee).target_role[0]
    assert one(holds, mentee).fit[0] - one(other, mentee).fit[0] == round(W.target_role * SCORE_SCALE)


def test_overlap_hours_between_time_zones_in_winter():
    mentee = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True, timezone="America/New_York")
    london = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    kolkata = person(
        "m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, timezone="Asia/Kolkata"
    )
    # 9-17 local: London 9-17 UTC, New York 14-22 UTC -> 3 h; Kolkata 3:30-11:30 UTC -> none.
    assert one(london, mentee).overlap[0] == pytest.approx(3.0)
    assert one(kolkata, mentee).overlap[0] == 0
    assert not one(kolkata, mentee).feasible[0]


def test_other_team_is_preferred_and_same_team_can_be_forbidden():
    mentee = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True, team="Platform")
    same = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, team="platform")
    other = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, team="Analytics")
    assert one(other, mentee).fit[0] - one(same, mentee).fit[0] == round(W.other_team * SCORE_SCALE)
    assert one(same, mentee).feasible[0]
    assert not one(same, mentee, weights=Weights(allow_same_team=False)).feasible[0]


def test_never_the_mentees_manager_in_either_direction():
    mentee = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True, manager="m")
    mentor = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    assert not one(mentor, mentee).feasible[0]
    boss = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    report = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, manager="e")
    assert not one(report, boss).feasible[0]


def test_repeat_penalty_halves_every_half_life():
    mentee = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    mentor = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    fresh = one(mentor, mentee).fit[0]
    recent = fresh - one(mentor, mentee, [PastPairing("m", "e", 0)]).fit[0]
    later = fresh - one(mentor, mentee, [PastPairing("m", "e", W.repeat_half_life_weeks)]).fit[0]
    assert recent == round(W.repeat * SCORE_SCALE)
    assert later == pytest.approx(recent / 2, abs=1)
    # the most recent of several pairings counts
    both = [PastPairing("m", "e", 40), PastPairing("m", "e", 0)]
    assert fresh - one(mentor, mentee, both).fit[0] == recent


def test_waiting_raises_the_score_but_not_the_fit_and_is_capped():
    mentee = person("e", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    mentor = person("m", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    base = one(mentor, mentee)
    waited = one(mentor, mentee, waiting={"e": 2})
    capped = one(mentor, mentee, waiting={"e": 99})
    assert waited.fit[0] == base.fit[0]
    assert waited.score[0] - base.score[0] == round(2 * W.waiting * SCORE_SCALE)
    assert capped.score[0] - base.score[0] == round(W.waiting_cap * W.waiting * SCORE_SCALE)


def test_floor_applies_to_the_fit():
    mentee = person("e", seniority="junior", goals={"sql": 3, "kaggle": 3}, wants_mentor=True)
    mentor = person("m", seniority="senior", strengths={"sql": 1}, mentor_capacity=1)
    s = one(mentor, mentee)
    assert s.feasible[0]
    assert not one(mentor, mentee, weights=Weights(floor=s.fit[0] / SCORE_SCALE + 0.01)).feasible[0]


@pytest.mark.parametrize("rarity", [0.0, 1.3])
def test_the_block_bound_never_undercuts_a_feasible_pair_and_is_tight_without_history(rarity):
    """The block path only filters: every feasible pair passes it, with a bound the exact fit never beats."""
    from matching.synthetic import random_history, random_workspace

    members = random_workspace(300, [f"s{k}" for k in range(12)], seed=3)
    w = Weights(rarity=rarity)
    f = encode(members, random_history(members, 200, seed=3), {members[5].id: 2}, WINTER, rarity)
    bound = FitBound(f, w)(f.mentees, f.mentors)
    grid_e, grid_m = np.meshgrid(f.mentees, f.mentors, indexing="ij")
    pairs = score_pairs(f, w, grid_e.ravel(), grid_m.ravel())
    flat = bound.ravel()
    fit = pairs.fit / SCORE_SCALE
    assert pairs.feasible.sum() > 100 and (~pairs.feasible & np.isfinite(flat)).sum() > 0
    assert np.isfinite(flat[pairs.feasible]).all()
    assert (flat[pairs.feasible] + BOUND_MARGIN >= fit[pairs.feasible]).all()
    fresh = pairs.feasible & np.isinf(pairs.weeks_since)
    assert np.abs(flat[fresh] - fit[fresh]).max() < BOUND_MARGIN / 10


def test_the_rarity_weight_is_the_documented_formula_not_a_rounded_one():
    """Issue 16's example: each goal counts 1 + rarity x scarcity, exactly."""
    at = datetime(2026, 1, 15, 12, tzinfo=UTC)
    r1 = person("r1", seniority="senior", team="x", strengths={"kaggle": 5}, mentor_capacity=1)
    r2 = person("r2", seniority="senior", team="z", strengths={"sql": 5}, mentor_capacity=9)
    e = person("e", seniority="mid", team="y", goals={"kaggle": 1, "sql": 1}, wants_mentor=True)
    w = Weights(rarity=1.5)
    f = encode([r1, r2, e], at=at, rarity=w.rarity)
    s = score_pairs(f, w, np.asarray([2, 2]), np.asarray([0, 1]))
    assert s.score.tolist() == [586724, 483276]


def test_london_and_new_york_share_what_the_timezones_docstring_says():
    """3 working hours most of the year, 4 in the weeks between the two daylight-saving switches."""
    from matching.timezones import overlap_hours, utc_offset_hours

    def shared(at: datetime) -> float:
        london, new_york = utc_offset_hours("Europe/London", at), utc_offset_hours("America/New_York", at)
        return float(overlap_hours(np.array([london]), np.array([new_york]), 9, 17)[0])

    assert shared(datetime(2026, 1, 15, 12, tzinfo=UTC)) == 3
    assert shared(datetime(2026, 7, 15, 12, tzinfo=UTC)) == 3
    assert shared(datetime(2026, 3, 20, 12, tzinfo=UTC)) == 4  # New York has switched, London not yet
    assert shared(datetime(2026, 10, 28, 12, tzinfo=UTC)) == 4  # London has switched back, New York not yet
