"""A circle's term through the Slack app: check-ins, leaving, not regrouped while it runs, ratings."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission
from bot.jobs.worker import run_round
from bot.services import reports
from bot.storage.db import transaction
from bot.storage.models import Feedback, LearningCircle, ProgramSettings
from tests.bot.jobs.circles_seed import join
from tests.bot.jobs.conftest import MONDAY, TEAM
from tests.bot.listeners.conftest import click
from tests.bot.listeners.test_shortlist import Members

SKILLS = ["sql", "python", "kaggle", "model-deployment"]


def test_circle_checkins_leaving_term_end_and_ratings(harness):
    people = Members(harness)
    engine = harness.engine
    for k in range(4):
        join(engine, f"u{k}", "mid", SKILLS[k], SKILLS[(k + 1) % 4])
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.format, settings.admin_channel, settings.term_weeks = "circles", None, 6

    run_round(engine, TEAM, MONDAY)
    people.deliver(MONDAY + timedelta(days=settings.checkin_days))
    with Session(engine) as s:
        (circle,) = s.exec(select(LearningCircle)).all()
    subject = f"c{circle.id}"
    checkin = people.dms("u0")[-1]
    assert checkin["text"] == "Has your circle met yet?"
    assert [e["value"] for e in checkin["blocks"][1]["elements"]] == [subject] * 3

    assert "Great" in people.press("u0", "checkin_met", subject)["text"]
    assert "taken you out of this circle" in people.press("u1", "checkin_not_working", subject)["text"]
    join(engine, "stranger", "mid", "sql", "python")
    assert "isn't one of yours" in people.press("stranger", "checkin_met", subject)["text"]
    with Session(engine) as s:
        circle = s.get(LearningCircle, circle.id)
    assert sorted(circle.members) == ["u0", "u2", "u3"] and all(step[0] != "u1" for step in circle.rotation)

    # A week later the circle is still running: its members aren't regrouped.
    run_round(engine, TEAM, MONDAY + timedelta(weeks=1))
    with Session(engine) as s:
        newer = s.exec(select(LearningCircle).where(LearningCircle.id != circle.id)).all()
    assert all(not {"u0", "u2", "u3"} & set(c.members) for c in newer)

    # At the end of its term each remaining member is asked for a rating, through the modal.
    run_round(engine, TEAM, MONDAY + timedelta(weeks=6))
    people.deliver(MONDAY + timedelta(weeks=6))
    with Session(engine) as s:
        assert s.get(LearningCircle, circle.id).status == "ended"
    prompt = people.dms("u2")[-1]
    assert "Your learning circle's term has ended" in prompt["text"]
    opening = click("feedback_open", user="u2")
    opening["actions"][0]["value"] = subject
    harness.bot.interaction(opening)
    view = harness.slack.wait_for("views.open")[0].params["view"]
    assert view["private_metadata"] == subject and "this circle" in str(view["blocks"])
    rating = {"rating": {"value": {"type": "static_select", "selected_option": {"value": "5"}}}}
    answer = harness.bot.interaction(
        view_submission(rating, user="u2", callback_id="feedback_modal", private_metadata=subject)
    )
    assert answer.text == ""
    refused = harness.bot.interaction(
        view_submission(rating, user="u1", callback_id="feedback_modal", private_metadata=subject)
    )
    assert "isn't one of yours" in refused.json()["errors"]["rating"]  # u1 left the circle
    with Session(engine) as s:
        ratings = [
            (f.user_id, f.circle_id, f.rating) for f in s.exec(select(Feedback).where(Feedback.kind == "end"))
        ]
        (mode,) = [
            m for m in reports.build(s, TEAM, now=MONDAY + timedelta(weeks=6)).modes if m.format == "circles"
        ]
    assert ratings == [("u2", circle.id, 5)]
    assert (mode.met, mode.answered, mode.satisfaction) == (1, 1, 5.0)
