"""Slash command -> views.open -> view_submission -> stored profile -> /mentor status, over real HTTP."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.services.workspaces import ensure_workspace
from bot.storage.db import transaction
from bot.storage.models import Member, MemberSkill, Skill
from tests.bot.listeners.conftest import MENTOR_PROFILE, state
from tests.moments import MONDAY


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


def test_a_catalog_over_100_skills_is_searched_and_saving_unchanged_keeps_every_skill(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    with transaction(engine) as s:
        ensure_workspace(s, "T1", MONDAY)  # the default catalog, then 120 more skills
        s.add_all(
            Skill(team_id="T1", id=f"extra-{k:03d}", name=f"Extra skill {k:03d}", category="Extra")
            for k in range(120)
        )
    far = {"strength_5": ["extra-119"], "strength_4": ["sql"], "goal_3": ["extra-101"]}
    profile = dict(MENTOR_PROFILE, **far)
    assert bot.interaction(submission(state(**profile))).json()["response_action"] == "update"

    bot.command("profile")
    view = slack.wait_for("views.open")[-1].params["view"]
    strength5 = next(b for b in view["blocks"] if b.get("block_id") == "strength_5")["element"]
    assert strength5["type"] == "multi_external_select" and "options" not in strength5
    assert [o["value"] for o in strength5["initial_options"]] == ["extra-119"]  # shown though past 100

    found = bot.interaction({**suggestion("strength_5", "skill 11"), "view": view}).json()["option_groups"]
    assert [o["value"] for g in found for o in g["options"]] == [f"extra-{k:03d}" for k in range(110, 120)]
    assert (
        bot.interaction(suggestion("goal_3", "SQL")).json()["option_groups"][0]["options"][0]["value"]
        == "sql"
    )

    # Saved again as the modal opened, untouched: nothing the first 100 options lacked is lost.
    unchanged = {
        b["block_id"]: [o["value"] for o in b["element"].get("initial_options", [])]
        for b in view["blocks"]
        if b.get("block_id", "").startswith(("strength_", "goal_"))
    }
    bot.interaction(submission(state(**dict(MENTOR_PROFILE, **unchanged))))
    with Session(engine) as s:
        kept = {(r.kind, r.skill_id) for r in s.exec(select(MemberSkill))}
    assert {("strength", "extra-119"), ("goal", "extra-101"), ("strength", "sql")} <= kept


def suggestion(block_id: str, typed: str) -> dict:
    """What Slack posts while a member types in an external select."""
    return {
        "type": "block_suggestion",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1",
        "action_id": "skills",
        "block_id": block_id,
        "value": typed,
    }
