"""Report figures against a seeded history with answers worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from matplotlib.image import imread
from sqlmodel import Session, select

from bot.rendering import chart
from bot.rendering.report import report_message
from bot.services import exports, privacy, reports
from bot.storage.db import transaction
from bot.storage.models import Round
from matching import UnmatchedCause
from tests.bot.reports_seed import TEAM, seed_history
from tests.factories import committed
from tests.moments import MONDAY


def test_figures(engine):
    seed_history(engine)
    with Session(engine) as s:
        r = reports.build(s, TEAM, weeks=12, now=MONDAY)
    assert (r.members, r.mentors, r.mentees, r.both, r.paused) == (8, 3, 4, 1, 2)
    assert (r.capacity, r.capacity_used) == (4, 2)
    assert (r.latest.period, r.latest.pairs, r.latest.unmatched) == ("2026-W47", 1, 2)
    assert r.latest.match_rate == pytest.approx(1 / 3)
    assert r.unmatched_by_cause == [(UnmatchedCause.at_capacity, 1), (UnmatchedCause.nobody_offers, 1)]
    assert (r.average_score, r.lowest_score) == (pytest.approx(0.5), pytest.approx(0.5))
    assert r.meeting_rate == pytest.approx(2 / 3)
    assert (r.satisfaction, r.ratings) == (pytest.approx(3.0), 2)
    assert (r.ended_early, r.delivery_failures) == (1, 1)
    assert [(p.period, p.pairs, p.unmatched) for p in r.trend] == [("2026-W46", 2, 1), ("2026-W47", 1, 2)]
    assert [p.meeting_rate for p in r.trend] == [pytest.approx(0.5), pytest.approx(1.0)]
    balance = {s.skill: (s.demand, s.supply) for s in r.skills}
    assert balance == {"sql": (2, 3), "kaggle": (2, 0), "python": (1, 1), "documentation": (0, 1)}
    assert r.gaps() == ["2 mentees want kaggle; nobody offers it"]
    assert r.comments is None


def test_left_out_members_are_grouped_by_the_cause_the_round_kept(engine):
    seed_history(engine)
    with transaction(engine) as s:  # a round stored before causes were kept: reasons only
        latest = s.exec(select(Round).where(Round.period == "2026-W47")).one()
        latest.stats = {k: v for k, v in latest.stats.items() if k != "causes"}
        s.add(latest)
    with Session(engine) as s:
        r = reports.build(s, TEAM, weeks=12, now=MONDAY)
    assert r.unmatched_by_cause == [(None, 2)]
    assert "2 × not recorded" in json.dumps(report_message(r), ensure_ascii=False)


def test_comments_only_when_asked_and_forget_me_is_respected(engine):
    seed_history(engine)
    with Session(engine) as s:
        assert reports.build(s, TEAM, include_comments=True, now=MONDAY).comments == ["Helpful", "Busy"]
    committed(engine, privacy.forget, TEAM, "UE1")
    with Session(engine) as s:
        r = reports.build(s, TEAM, include_comments=True, now=MONDAY)
        data = exports.pairings_csv(s, TEAM, include_comments=True)
    assert r.comments == [] and r.members == 7
    assert "UE1" not in data and "Helpful" not in data


def test_short_window_leaves_old_rounds_out(engine):
    seed_history(engine)
    with Session(engine) as s:
        r = reports.build(s, TEAM, weeks=1, now=MONDAY + timedelta(minutes=1))
    assert [p.period for p in r.trend] == []  # round W47 is a week and a moment old
    assert r.latest is None


def test_csv_round_trips(engine):
    seed_history(engine)
    with Session(engine) as s:
        rows = list(csv.DictReader(io.StringIO(exports.pairings_csv(s, TEAM))))
    assert [r["period"] for r in rows] == ["2026-W46", "2026-W46", "2026-W47"]
    first = rows[0]
    assert (first["mentor_id"], first["mentee_id"], first["status"], first["met"]) == (
        "UM1",
        "UE1",
        "ended_early",
        "yes",
    )
    assert (first["mentor_rating"], first["mentee_rating"]) == ("2", "4")
    assert rows[1]["met"] == "no" and "comments" not in first
    assert float(rows[2]["score"]) == pytest.approx(0.5)


def test_chart_is_a_png_with_labelled_axes(engine):
    seed_history(engine)
    with Session(engine) as s:
        r = reports.build(s, TEAM, now=MONDAY)
    left, right = chart.figure(r).axes
    assert left.get_ylabel() == chart.SUPPLY_DEMAND_YLABEL and left.get_title() == "Skill supply vs demand"
    assert (right.get_xlabel(), right.get_ylabel()) == ("round", chart.RATES_YLABEL)
    # most wanted first, then most offered
    assert [t.get_text() for t in left.get_xticklabels()][:2] == ["sql", "kaggle"]
    data = chart.png(r)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = imread(io.BytesIO(data), format="png")
    assert image.shape[0] > 300 and image.shape[1] > 800
