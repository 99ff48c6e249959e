"""Reasons for pairs and for the unmatched, as the members will read them."""

from __future__ import annotations

import json

from matching import PastPairing, Reason, UnmatchedCause, match
from matching.reasons import join_words
from tests.matching.conftest import WINTER, person


def reasons_of(result):
    return {p.mentee: " | ".join(map(str, p.reasons)) for p in result.pairs}


def test_pair_reasons_name_skills_role_hours_team_waiting_and_history():
    ana = person(
        "ana",
        name="Ana",
        seniority="senior",
        role="machine learning engineer",
        strengths={"model deployment": 5, "sql": 4},
        mentor_capacity=1,
        team="Platform",
    )
    bo = person(
        "bo",
        name="Bo",
        seniority="mid",
        target_role="machine learning engineer",
        goals={"model deployment": 3, "sql": 1},
        wants_mentor=True,
        team="Analytics",
        timezone="America/New_York",
    )
    why = reasons_of(match([ana, bo], [PastPairing("ana", "bo", 30)], waiting={"bo": 2}, at=WINTER))["bo"]
    assert "Ana is strong in model deployment (5/5) and sql (4/5), which Bo wants to learn" in why
    assert "including the top priority" in why
    assert "Ana is a machine learning engineer, the role Bo is aiming for" in why
    assert "Ana is senior and Bo is mid" in why
    assert "3 h of overlapping working hours" in why
    assert "different teams (Platform, Analytics)" in why
    assert "Bo waited 2 rounds for a mentor" in why
    assert "paired before, 30 weeks ago" in why


def test_unmatched_reasons_cover_each_cause():
    mentor = person("m", seniority="senior", strengths={"model deployment": 5}, mentor_capacity=1)
    far = person("far", seniority="senior", strengths={"sql": 5}, mentor_capacity=1, timezone="Asia/Kolkata")
    members = [
        mentor,
        far,
        person("taken", seniority="junior", goals={"model deployment": 3}, wants_mentor=True),
        person("also", seniority="junior", goals={"model deployment": 3}, wants_mentor=True),
        person("kaggler", seniority="junior", goals={"kaggle": 3}, wants_mentor=True),
        person("resting", seniority="junior", goals={"sql": 3}, wants_mentor=True, paused=True),
        person("blank", seniority="junior", wants_mentor=True),
        person(
            "west", seniority="junior", goals={"sql": 2}, wants_mentor=True, timezone="America/Los_Angeles"
        ),
        person("boss", seniority="staff", goals={"sql": 2}, wants_mentor=True),
    ]
    result = match(members, at=WINTER)
    why = {u.id: str(u.reason) for u in result.unmatched}
    loser = ({"taken", "also"} - {p.mentee for p in result.pairs}).pop()
    assert why[loser] == "the 1 mentor who could mentor you in model deployment is at capacity this round"
    assert why["kaggler"] == "nobody offers kaggle yet"
    assert why["resting"] == "paused"
    assert why["blank"] == "no learning goals in the profile yet"
    assert why["west"] == "the 1 mentor who offers sql shares too little working time with you"
    assert why["boss"] == "the 1 mentor who offers sql is less senior than you"
    assert "m" not in why and "far" not in why  # not asking for a mentor
    cause = {u.id: u.cause for u in result.unmatched}
    assert cause == {
        loser: UnmatchedCause.at_capacity,
        "kaggler": UnmatchedCause.nobody_offers,
        "resting": UnmatchedCause.paused,
        "blank": UnmatchedCause.no_goals,
        "west": UnmatchedCause.no_shared_hours,
        "boss": UnmatchedCause.less_senior,
    }


def test_join_words():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"], "or") == "a or b"
    assert join_words(["a", "b", "c"]) == "a, b and c"


def test_a_reason_keeps_its_message_and_values_through_json_and_reads_as_english():
    ana = person("ana", seniority="senior", strengths={"sql": 5}, mentor_capacity=1)
    bo = person("bo", seniority="junior", goals={"sql": 3}, wants_mentor=True)
    (pair,) = match([ana, bo], at=WINTER).pairs
    for r in pair.reasons:
        again = Reason.from_json(json.loads(json.dumps(r.to_json())))
        assert again == r and str(again) == str(r) and hash(again) == hash(r)
    assert (
        str(pair.reasons[0])
        == "Ana is strong in sql (5/5), which Bo wants to learn, including the top priority"
    )
    assert pair.reasons[0].values["mentor"] == "Ana"  # names are values, never part of the message
    assert "Ana" not in pair.reasons[0].message
    old = Reason.from_json("stored before reasons had values")  # rows written by earlier versions
    assert str(old) == "stored before reasons had values"
