"""A weekly round end to end: stored once, introduced once, followed up."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import Session, select

from bot.catalog import default_catalog
from bot.domain import ProfileForm
from bot.jobs.worker import run_round
from bot.services import profiles
from bot.services.rounds import next_period, period_of
from bot.storage.db import transaction
from bot.storage.models import Outbox, Pairing, ProgramSettings, Round
from matching.synthetic import random_workspace
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, deliver, seed, tick
from tests.factories import committed


def test_a_round_pairs_stores_and_introduces(engine, slack):
    seed(engine, mentors=2, mentees=3)
    report = tick(engine, client_for(slack), now=MONDAY)
    ((team, outcome),) = report.rounds
    assert team == TEAM and outcome.created and len(outcome.pairs) == 2
    with Session(engine) as s:
        rnd = s.exec(select(Round)).one()
        pairings = s.exec(select(Pairing)).all()
        assert rnd.period == period_of(s.get(ProgramSettings, TEAM), MONDAY) == "2026-W48"
    assert {(p.mentor_id, p.status) for p in pairings} == {("UM000", "active"), ("UM001", "active")}
    assert all(
        p.ends_at.replace(tzinfo=None) == (MONDAY + timedelta(weeks=6)).replace(tzinfo=None) for p in pairings
    )

    # intros in group DMs, with reasons and an agenda; the unmatched mentee hears why
    intros = [m for c, msgs in slack.messages.items() if c.startswith("G") for m in msgs]
    assert len(intros) == 2
    text = str(intros[0]["blocks"])
    assert "Why you two" in text and "sql (5/5)" in text and "A first meeting" in text
    (unmatched_dm,) = [m for c, msgs in slack.messages.items() if c.startswith("D") for m in msgs]
    assert "No mentor for you this round" in unmatched_dm["text"]
    (digest_message,) = slack.messages["CADMIN"]  # the admins' weekly digest
    assert "Weekly mentoring digest" in str(digest_message["blocks"])
    assert "2 new pairs, 1 without a mentor" in str(digest_message["blocks"])
    assert report.delivery.sent == 4
    assert [s["channel_id"] for s in slack.shared] == ["CADMIN"]  # the chart, once

    # same period again: nothing new, no second digest or chart
    assert not tick(engine, client_for(slack), now=MONDAY + timedelta(hours=3)).rounds
    assert len(slack.messages["CADMIN"]) == 1 and len(slack.shared) == 1
    # check-ins wait their days, then go out once
    assert deliver(engine, client_for(slack), now=lambda: MONDAY + timedelta(days=1)).sent == 0
    later = deliver(engine, client_for(slack), now=lambda: MONDAY + timedelta(days=4, hours=1))
    assert later.sent == 2
    assert sorted(k for k in slack.sent_keys() if k.startswith("checkin")) == sorted(
        f"checkin:{p.id}" for p in pairings
    )


def test_next_period_keeps_ongoing_pairs_and_ends_terms(engine, slack):
    seed(engine, mentors=2, mentees=3)
    ((_, first),) = tick(engine, client_for(slack), now=MONDAY).rounds
    (waiting,) = first.unmatched  # three mentees, two one-slot mentors
    week2 = tick(engine, client_for(slack), now=MONDAY + timedelta(weeks=1))
    ((_, outcome),) = week2.rounds
    assert outcome.created and outcome.pairs == []  # mentors are full, mentees still paired
    assert set(outcome.unmatched) == {waiting}  # the one still waiting; the paired two aren't "left out"
    after_term = tick(engine, client_for(slack), now=MONDAY + timedelta(weeks=6, hours=1))
    ((_, outcome),) = after_term.rounds
    assert outcome.ended == 2
    assert len(outcome.pairs) == 2  # everyone free again
    assert len([k for k in slack.sent_keys() if k.startswith("feedback:")]) == 4
    with Session(engine) as s:
        statuses = sorted(p.status for p in s.exec(select(Pairing)).all())
    assert statuses == ["active", "active", "ended", "ended"]


def test_waiting_mentee_gets_priority_next_time(engine, slack):
    seed(engine, mentors=1, mentees=2)
    first = run_round(engine, TEAM, MONDAY)
    (left_out,) = first.unmatched
    run_round(engine, TEAM, MONDAY + timedelta(weeks=6, hours=1))  # term over, both free again
    with Session(engine) as s:
        latest = s.exec(select(Pairing).order_by(Pairing.id.desc())).first()
    assert latest.mentee_id == left_out


def test_two_workers_at_once_make_one_round(engine, slack):
    seed(engine, mentors=3, mentees=3)
    outcomes = []
    start = threading.Barrier(2)

    def go():
        start.wait()
        outcomes.append(run_round(engine, TEAM, MONDAY))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.created for o in outcomes) == [False, True]
    with Session(engine) as s:
        assert len(s.exec(select(Round)).all()) == 1
        assert len(s.exec(select(Pairing)).all()) == 3
        assert len(s.exec(select(Outbox).where(Outbox.kind == "intro")).all()) == 3


def test_dry_run_stores_and_sends_nothing(engine, slack):
    seed(engine, mentors=2, mentees=2)
    preview = run_round(engine, TEAM, MONDAY, dry_run=True)
    assert len(preview.pairs) == 2 and not preview.created
    assert all(p.reasons for p in preview.pairs)
    with Session(engine) as s:
        assert s.exec(select(Round)).all() == [] and s.exec(select(Outbox)).all() == []


def seed_synthetic(engine, n: int, seed_: int) -> None:
    """``random_workspace(n, seed_)`` stored through the profile service."""
    ids = {s.name: s.id for s in default_catalog().skills}
    for m in random_workspace(n, default_catalog().names(), seed=seed_):
        form = ProfileForm(
            role=m.role,
            seniority=m.seniority.label,
            target_role=m.target_role,
            team=m.team,
            strengths={ids[s]: max(2, lv) for s, lv in m.strengths.items()},
            goals={ids[s]: p for s, p in m.goals.items()},
            mentor_capacity=m.mentor_capacity,
            wants_mentor=m.wants_mentor and bool(m.goals),
        )
        committed(engine, profiles.save, TEAM, m.id, form, name=m.name, timezone=m.timezone, now=MONDAY)


def test_the_program_objective_decides_between_more_pairs_and_better_ones(engine):
    """In this workspace one more mentee can be paired only by weakening another pair."""
    seed_synthetic(engine, 30, 16)
    most = run_round(engine, TEAM, MONDAY, dry_run=True)
    with transaction(engine) as session:
        session.get(ProgramSettings, TEAM).objective = "best-score"
    best = run_round(engine, TEAM, MONDAY, dry_run=True)
    assert len(most.pairs) > len(best.pairs)
    assert sum(p.score for p in best.pairs) > sum(p.score for p in most.pairs)
    stored = run_round(engine, TEAM, MONDAY)
    assert [(p.mentor_id, p.mentee_id) for p in stored.pairs] == [
        (p.mentor_id, p.mentee_id) for p in best.pairs
    ]
    with Session(engine) as s:
        assert s.get(Round, stored.round_id).stats["objective"] == "best-score"


def test_next_period_follows_the_cadence_across_the_year_end():
    weekly, fortnightly = ProgramSettings(team_id="T"), ProgramSettings(team_id="T", cadence_weeks=2)
    assert next_period(weekly, "2026-W49") == "2026-W50"
    assert next_period(weekly, "2026-W53") == "2027-W01"
    assert next_period(fortnightly, period_of(fortnightly, MONDAY)) == period_of(
        fortnightly, MONDAY + timedelta(weeks=2)
    )
