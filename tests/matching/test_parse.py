"""Bad input is located by row and field; good input round-trips between JSON and CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.parse import InputError, parse_csv, parse_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_shipped_examples_parse_to_the_same_members():
    from_json = parse_json((EXAMPLES / "workspace.json").read_text())
    from_csv = parse_csv((EXAMPLES / "workspace.csv").read_text())
    assert from_json.members == from_csv.members
    assert len(from_json.members) == 40
    assert from_json.history and from_json.waiting


def doc(**profile):
    base = {"id": "u1", "name": "Ana", "seniority": "senior", "timezone": "Europe/London"}
    base.update(profile)
    return json.dumps({"members": [base]})


@pytest.mark.parametrize(
    ("text", "where", "field", "words"),
    [
        ("{", "line 1", None, "not valid JSON"),
        ("[]", "top level", None, "expected an object"),
        ('{"members": [], "extra": 1}', "top level", None, "unknown key 'extra'"),
        (doc(colour="blue"), "members[0]", None, "unknown field 'colour'"),
        (doc(timezone="Mars/Base"), "members[0] (id 'u1')", "timezone", "not an IANA time zone"),
        (doc(mentor_capacity=-1), "members[0] (id 'u1')", "mentor_capacity", "0 to 50"),
        (doc(strengths={"sql": 9}), "members[0] (id 'u1')", "strengths", "1 to 5"),
        (doc(goals={"sql": 0}), "members[0] (id 'u1')", "goals", "1 to 3"),
        (doc(seniority="wizard"), "members[0] (id 'u1')", "seniority", "not one of"),
        (doc(paused="maybe"), "members[0]", "paused", "true or false"),
        (doc(name=""), "members[0]", "name", "is required"),
    ],
)
def test_json_errors_name_row_and_field(text, where, field, words):
    with pytest.raises(InputError) as err:
        parse_json(text)
    assert err.value.where == where
    assert err.value.field == field
    assert words in str(err.value)


def test_duplicate_ids_point_at_both_rows():
    text = json.dumps(
        {
            "members": [
                {"id": "u1", "name": "A", "seniority": "mid", "timezone": "UTC"},
                {"id": "u1", "name": "B", "seniority": "mid", "timezone": "UTC"},
            ]
        }
    )
    with pytest.raises(
        InputError, match=r"members\[1\], field id: duplicate id 'u1' \(first in members\[0\]\)"
    ):
        parse_json(text)


HEADER = "id,name,seniority,timezone,strengths,goals,mentor_capacity,wants_mentor\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("u1,Ana,senior,UTC,sql=3,,0,no", "row 2, field strengths: 'sql=3' should look like 'skill:3'"),
        ("u1,Ana,senior,UTC,sql:x,,0,no", "row 2, field strengths: 'sql:x': 'x' is not a whole number"),
        ("u1,Ana,senior,UTC,,,two,no", "row 2, field mentor_capacity: must be a whole number"),
        ("u1,Ana,senior,UTC,,,0,perhaps", "row 2, field wants_mentor: 'perhaps' is not yes/no"),
        ("u1,Ana,senior,Nowhere/City,,,0,no", "row 2 (id 'u1'), field timezone"),
        ("u1,Ana,senior,UTC,,,0,no,extra", "row 2: more cells than header columns"),
    ],
)
def test_csv_errors_name_row_and_field(row, message):
    with pytest.raises(InputError) as err:
        parse_csv(HEADER + row + "\n")
    assert str(err.value).startswith(message)


def test_csv_header_problems():
    with pytest.raises(InputError, match="row 1: the file is empty"):
        parse_csv("")
    with pytest.raises(InputError, match="unknown column 'colour'"):
        parse_csv("id,name,seniority,timezone,colour\n")
    with pytest.raises(InputError, match="missing column 'timezone'"):
        parse_csv("id,name,seniority\n")


def test_csv_values_are_typed():
    members = parse_csv(HEADER + "u1,Ana,Senior,UTC,SQL:4; python:3,kaggle:2,2,Yes\n").members
    assert members[0].strengths == {"sql": 4, "python": 3}
    assert members[0].goals == {"kaggle": 2}
    assert members[0].mentor_capacity == 2 and members[0].wants_mentor


def test_a_synthetic_workspace_written_as_json_reads_back_the_same():
    from matching.synthetic import random_history, random_workspace, workspace_document

    members = random_workspace(60, [f"skill {k}" for k in range(12)], seed=5, mentee_share=2 / 3)
    history = random_history(members, 10, seed=5)
    data = parse_json(json.dumps(workspace_document(members, history, {members[0].id: 2})))
    assert data.members == members and data.history == history and data.waiting == {members[0].id: 2}
    assert sum(m.wants_mentor for m in members) > sum(m.mentor_capacity > 0 for m in members)
