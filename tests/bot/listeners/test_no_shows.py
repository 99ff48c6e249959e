"""Members who ignore their check-ins are paused kindly, reported to admins, and come back in one click."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, select

from bot.jobs.worker import run_round
from bot.services import feedback, reports
from bot.storage.db import transaction
from bot.storage.models import AuditLog, Member, Pairing, ProgramSettings
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, deliver, seed
from tests.bot.listeners.conftest import click
from tests.factories import committed

#: Weeks in the past: the "I'm back" button stamps the real time, which must come after them.
START = MONDAY - timedelta(weeks=8)


def week(n: int, days: int = 0):
    return START + timedelta(weeks=n, days=days)


def round_and_checkins(harness, n: int, answering: set[str]) -> set[str]:
    """Week ``n``'s round; its check-ins go out 5 days later; ``answering`` members reply. Who was paired."""
    outcome = run_round(harness.engine, TEAM, week(n))
    deliver(harness.engine, client_for(harness.slack), now=lambda: week(n, 5))
    with Session(harness.engine) as s:
        pairings = s.exec(select(Pairing).where(Pairing.round_id == outcome.round_id)).all()
    for p in pairings:
        for user in {p.mentor_id, p.mentee_id} & answering:
            committed(
                harness.engine, feedback.record_checkin, TEAM, feedback.Subject(p.id), user, "met", now=MONDAY
            )
    return {u for p in outcome.pairs for u in (p.mentor_id, p.mentee_id)}


def test_two_ignored_checkins_pause_a_member_who_comes_back_in_one_click(harness):
    engine, slack, bot = harness.engine, harness.slack, harness.bot
    seed(engine, mentors=2, mentees=2)
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.no_show_limit, settings.term_weeks = 2, 1  # a new pair, and a new check-in, every week

    everyone = {"UM000", "UM001", "UE000", "UE001"}
    assert round_and_checkins(harness, 0, answering={"UM001", "UE001"}) == everyone
    assert round_and_checkins(harness, 1, answering={"UE001"}) == everyone
    third = run_round(engine, TEAM, week(2, 6))  # both check-ins are now a week old
    with Session(engine) as s:
        quiet = {m.user_id for m in s.exec(select(Member).where(Member.pause_reason == "no-show"))}
        audit = {(a.actor_id, a.action, a.detail["user"]) for a in s.exec(select(AuditLog))}
        report = reports.build(s, TEAM, now=week(2, 6))
    # UM000 and UE000 never answered; UM001 answered one of the last two; UE001 both.
    assert quiet == {"UM000", "UE000"}
    assert {p.mentor_id for p in third.pairs} | {p.mentee_id for p in third.pairs} == {"UM001", "UE001"}
    assert audit >= {("mentorbot", "noshow.pause", "UM000"), ("mentorbot", "noshow.pause", "UE000")}
    assert report.no_shows == ["Mentee 0", "Mentor 0"]

    deliver(engine, client_for(slack), now=lambda: week(2, 6))
    (note,) = slack.messages["DUE000"][-1:]
    assert "paused your mentoring" in note["text"] and "noshow_back" in json.dumps(note["blocks"])

    bot.interaction(click("noshow_back", user="UE000", response_url=slack.url + "/respond/back"))
    assert "Welcome back" in slack.wait_for("/respond/back")[0].params["text"]
    with Session(engine) as s:
        back = s.get(Member, (TEAM, "UE000"))
        assert not back.paused and back.pause_reason is None and back.attention_since is not None
    # Coming back starts afresh: the old unanswered check-ins don't pause them again.
    fourth = run_round(engine, TEAM, week(3, 6))
    assert "UE000" in {p.mentee_id for p in fourth.pairs} | set(fourth.unmatched)  # takes part again
    with Session(engine) as s:
        assert not s.get(Member, (TEAM, "UE000")).paused
        assert s.get(Member, (TEAM, "UM000")).paused  # still away until they press the button


def test_no_show_pausing_can_be_turned_off(harness):
    engine = harness.engine
    seed(engine, mentors=1, mentees=1)
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.no_show_limit, settings.term_weeks = 0, 1
    for n in range(3):
        round_and_checkins(harness, n, answering=set())
    assert len(run_round(engine, TEAM, week(3, 6)).pairs) == 1
