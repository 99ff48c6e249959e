"""The report puts each format's outcomes side by side: match rate, meeting rate, satisfaction."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot import notify
from bot.jobs.worker import run_round
from bot.rendering.report import modes_table, report_message
from bot.services import feedback, mentor_requests, reports
from bot.storage.db import transaction
from bot.storage.models import LearningCircle, MentorRequest, Pairing, ProgramSettings, Round, ShortlistOption
from tests.bot.jobs.conftest import MONDAY, TEAM, seed
from tests.factories import join, mentee_form, mentor_form


def set_format(engine, fmt: str) -> None:
    with transaction(engine) as s:
        s.get(ProgramSettings, TEAM).format = fmt


def newcomer(engine, user: str, mentor: bool) -> None:
    form = mentor_form({"sql": 5}, team="") if mentor else mentee_form({"sql": 3}, team="")
    join(engine, TEAM, user, form, name=user, timezone="Europe/London")


def test_each_format_is_reported_beside_the_others(engine):
    # Week 1, automatic pairs: two one-slot mentors, three mentees. One pair meets and rates it 4.
    seed(engine, mentors=2, mentees=3)
    run_round(engine, TEAM, MONDAY)
    with Session(engine) as s:
        first, second = s.exec(select(Pairing).order_by(Pairing.id)).all()
    with transaction(engine) as s:
        feedback.record_checkin(s, TEAM, feedback.Subject(first.id), first.mentee_id, "met", MONDAY)
        feedback.record_checkin(s, TEAM, feedback.Subject(second.id), second.mentor_id, "not_yet", MONDAY)
        feedback.record_feedback(s, TEAM, feedback.Subject(first.id), first.mentee_id, 4, "", MONDAY)

    # Week 2, shortlists: two new one-slot mentors, two new mentees plus the one left waiting.
    for user, mentor in (("UMX1", True), ("UMX2", True), ("UEX1", False), ("UEX2", False)):
        newcomer(engine, user, mentor)
    set_format(engine, "shortlist")
    week2 = MONDAY + timedelta(weeks=1)
    run_round(engine, TEAM, week2)
    with Session(engine) as s:
        option = s.exec(select(ShortlistOption).where(ShortlistOption.rank == 1)).first()
    with notify.unit_of_work(engine, week2) as (s, notices):
        mentor_requests.ask(s, notices, TEAM, option.id, option.mentee_id, week2)
    with Session(engine) as s:
        request = s.exec(select(MentorRequest)).one()
    with notify.unit_of_work(engine, week2) as (s, notices):
        mentor_requests.answer(s, notices, TEAM, request.id, request.mentor_id, True, week2)
    with Session(engine) as s:
        accepted = s.get(Pairing, s.get(MentorRequest, request.id).pairing_id)
    with transaction(engine) as s:
        feedback.record_checkin(s, TEAM, feedback.Subject(accepted.id), accepted.mentor_id, "met", week2)
        feedback.record_feedback(s, TEAM, feedback.Subject(accepted.id), accepted.mentee_id, 2, "", week2)

    # Week 3, circles (hand-made): 3 placed, 2 not; the circle met and one member rated it 5.
    week3 = MONDAY + timedelta(weeks=2)
    with transaction(engine) as s:
        rnd = Round(
            team_id=TEAM,
            period="2026-W50",
            status="done",
            format="circles",
            created_at=week3,
            stats={"format": "circles", "circles": 1, "placed": 3, "unplaced": ["UE000", "UE001"]},
        )
        s.add(rnd)
        s.flush()
        circle = LearningCircle(
            team_id=TEAM, round_id=rnd.id, members=["UM000", "UM001", "UMX1"], created_at=week3
        )
        s.add(circle)
    the_circle = feedback.Subject(circle.id, circle=True)
    with transaction(engine) as s:
        feedback.record_checkin(s, TEAM, the_circle, "UM000", "met", week3)
        feedback.record_checkin(s, TEAM, the_circle, "UM001", "not_yet", week3)
        feedback.record_feedback(s, TEAM, the_circle, "UMX1", 5, "", week3)

    with Session(engine) as s:
        report = reports.build(s, TEAM, now=week3 + timedelta(weeks=3))
    by_format = {m.format: m for m in report.modes}
    assert list(by_format) == ["pairs", "shortlist", "circles"]
    pairs, shortlist, circles = by_format.values()
    assert (pairs.rounds, pairs.matched, pairs.asked, pairs.met, pairs.answered) == (1, 2, 3, 1, 2)
    assert (pairs.satisfaction, pairs.ratings) == (4.0, 1)
    # two listed (two free slots), one left without a list; one request accepted so far
    assert (shortlist.matched, shortlist.asked, shortlist.meeting_rate, shortlist.satisfaction) == (
        1,
        3,
        1.0,
        2.0,
    )
    assert (circles.matched, circles.asked, circles.met, circles.answered, circles.satisfaction) == (
        3,
        5,
        1,
        1,
        5.0,
    )
    assert report.satisfaction == (4 + 2 + 5) / 3  # the headline figure covers every format

    table = modes_table(report.modes)
    assert table.splitlines()[1].split() == ["automatic", "pairs", "1", "2/3", "67%", "50%", "4.0/5", "(1)"]
    assert "shortlists" in table and "peer circles" in table
    assert "Formats side by side" in str(report_message(report)["blocks"])
