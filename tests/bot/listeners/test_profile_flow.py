"""Slash command -> views.open -> view_submission -> stored profile -> /mentor status, over real HTTP."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.storage.models import Member, MemberSkill
from tests.bot.listeners.conftest import MENTOR_PROFILE, state


def test_profile_modal_round_trip(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    assert bot.command("profile").status_code == 200
    (opened,) = slack.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "profile_modal"
    assert opened.params["trigger_id"] == "trig-1"
    assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24

    reply = bot.interaction(submission(state(**MENTOR_PROFILE)))
    assert reply.status_code == 200 and reply.json()["response_action"] == "update"
    assert "Your profile is saved" in str(reply.json()["view"]["blocks"])
    with Session(engine) as s:
        member = s.get(Member, ("T1", "U1"))
        assert (member.name, member.timezone, member.mentor_capacity) == ("Ana", "Europe/Lisbon", 2)
        skills = {(r.kind, r.skill_id, r.value) for r in s.exec(select(MemberSkill)).all()}
    assert skills == {
        ("strength", "sql", 5),
        ("strength", "data-pipelines", 4),
        ("goal", "stakeholder-management", 3),
    }
    assert not slack.of("views.publish")  # the Home tab isn't open; it is drawn when it is

    status = bot.command("status").json()
    assert "sql (5/5)" in str(status["blocks"]) and "stakeholder management (3/3)" in str(status["blocks"])

    # Editing pre-fills the modal with what was stored.
    bot.command("profile")
    prefilled = slack.wait_for("views.open", 2)[-1].params["view"]
    strength5 = next(b for b in prefilled["blocks"] if b.get("block_id") == "strength_5")
    assert [o["value"] for o in strength5["element"]["initial_options"]] == ["sql"]


def test_validation_errors_show_inline_and_store_nothing(harness):
    bot, engine = harness.bot, harness.engine
    no_goals = dict(MENTOR_PROFILE, goal_3=[])
    reply = bot.interaction(submission(state(**no_goals))).json()
    assert reply["response_action"] == "errors"
    assert "goal_3" in reply["errors"]

    twice = dict(MENTOR_PROFILE, strength_4=["sql"])
    reply = bot.interaction(submission(state(**twice))).json()
    assert set(reply["errors"]) == {"strength_4"}

    missing = {k: v for k, v in MENTOR_PROFILE.items() if k != "seniority"}
    assert "seniority" in bot.interaction(submission(state(**missing))).json()["errors"]
    with Session(engine) as s:
        assert s.exec(select(Member)).all() == []


def test_malformed_submission_is_answered_not_crashed(harness):
    bot, engine = harness.bot, harness.engine
    weird = submission(
        {
            "role": {"value": "not an element"},
            "strength_5": {"value": {"type": "multi_static_select", "selected_options": "sql"}},
        }
    )
    reply = bot.interaction(weird)
    assert reply.status_code == 200
    assert reply.json()["response_action"] == "errors"
    with Session(engine) as s:
        assert s.exec(select(Member)).all() == []
