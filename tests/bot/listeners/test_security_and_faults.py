"""Signatures, health checks, and a database that goes away."""

from __future__ import annotations

import json
import time

from sqlmodel import Session, select

from bot.storage.db import make_engine
from bot.storage.models import Member
from tests.bot.listeners.conftest import start
from tests.factories import committed


def test_unsigned_wrong_and_stale_requests_are_refused(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    before = list(slack.calls)
    assert bot.command("pause", signature="").status_code == 401
    assert bot.command("pause", secret="not-the-secret").status_code == 401
    assert bot.command("pause", timestamp=int(time.time()) - 6 * 60).status_code == 401
    assert slack.calls == before
    with Session(engine) as s:
        assert s.exec(select(Member)).all() == []


def test_healthz(harness):
    reply = harness.bot.get("/healthz")
    assert (reply.status_code, reply.text) == (200, "ok\n")
    assert harness.bot.get("/nowhere").status_code == 404


def test_database_down_gets_a_polite_answer_and_the_process_keeps_serving(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path}/missing-dir/db.sqlite")
    for harness in start(broken):
        reply = harness.bot.command("status")
        assert reply.status_code == 200
        assert "can't reach my database" in reply.json()["text"]
        assert "can't reach my database" in harness.bot.command("pause 2").json()["text"]
        assert harness.bot.get("/healthz").status_code == 503
        assert "/mentor profile" in harness.bot.command("help").json()["text"]


def test_a_failure_is_answered_where_each_surface_can_show_it(tmp_path):
    """One decorator answers every listener's unexpected failure; here the database is missing."""
    from bot.devtools.signed_http import view_submission as submission
    from tests.bot.listeners.conftest import MENTOR_PROFILE, click, state

    down = "can't reach my database"
    broken = make_engine(f"sqlite:///{tmp_path}/missing-dir/db.sqlite")
    for harness in start(broken):
        bot, slack = harness.bot, harness.slack
        # A button: privately, through its response URL; the message it was on stays.
        met = click("checkin_met", response_url=slack.url + "/respond/met")
        met["actions"][0]["value"] = "7"
        bot.interaction(met)
        (answer,) = slack.wait_for("/respond/met")
        assert down in answer.params["text"] and answer.params["replace_original"] is False
        # A modal: on the form's first field, and the form stays open.
        role = {"type": "input", "block_id": "role", "label": {"type": "plain_text", "text": "Role"}}
        reply = bot.interaction(submission(state(**MENTOR_PROFILE), blocks=[role])).json()
        assert reply["response_action"] == "errors" and down in reply["errors"]["role"]
        # A modal whose blocks Slack didn't send back: closed, and the member told by DM.
        assert bot.interaction(submission(state(**MENTOR_PROFILE))).text == ""
        (dm,) = slack.wait_for("chat.postMessage")
        assert dm.params["channel"] == "U1" and down in dm.params["text"]
        # App Home: as the tab itself.
        bot.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
        (home,) = slack.wait_for("views.publish")
        assert down in json.dumps(home.params["view"])


def test_people_from_another_organisation_are_told_politely(harness):
    from bot.devtools.signed_http import view_submission as submission
    from tests.bot.listeners.conftest import MENTOR_PROFILE, click, state

    bot, slack, engine = harness.bot, harness.slack, harness.engine
    outsider = submission(state(**MENTOR_PROFILE))
    outsider["user"]["team_id"] = "TOTHER"
    reply = bot.interaction(outsider).json()
    assert "another organisation" in reply["errors"]["role"]
    payload = click("home_pause", response_url=slack.url + "/respond/9")
    payload["user"]["team_id"] = "TOTHER"
    bot.interaction(payload)
    assert "another organisation" in slack.wait_for("/respond/9")[0].params["text"]

    slack.add_user("U7", "Guest", team_id="TOTHER")  # a guest whose payload doesn't say so
    reply = bot.interaction(submission(state(**MENTOR_PROFILE), user="U7")).json()
    assert "another organisation" in reply["errors"]["role"]
    with Session(engine) as s:
        assert s.exec(select(Member)).all() == []


def test_rate_limited_slack_calls_are_waited_out(harness):
    bot, slack = harness.bot, harness.slack
    slack.fail_next(
        "views.open", status=429, headers={"Retry-After": "1"}, body={"ok": False, "error": "ratelimited"}
    )
    bot.command("profile")
    opened = slack.wait_for("views.open", 2, timeout=10)
    assert opened[1].at - opened[0].at >= 0.9  # waited Retry-After before trying again
    assert opened[1].params["view"]["callback_id"] == "profile_modal"


def test_signed_but_malformed_payloads_get_400_and_the_server_carries_on(harness):
    bot = harness.bot
    no_view_type = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "view": {"callback_id": "profile_modal"},
    }
    assert bot.interaction(no_view_type).status_code == 400
    assert bot.post_signed("payload=%7Bnot+json", "application/x-www-form-urlencoded").status_code in (
        400,
        404,
    )
    assert bot.command("help").status_code == 200


def test_an_enterprise_grid_admin_from_another_workspace_of_the_org_is_an_admin_here(engine):
    """Grid: a member's team_id is their home workspace; the others are under enterprise_user.teams."""
    from bot.services import admins

    grid_admin = {
        "id": "W1",
        "team_id": "T_HOME",
        "is_admin": True,
        "enterprise_user": {"teams": ["T_HOME", "T1"]},
    }
    elsewhere = {**grid_admin, "enterprise_user": {"teams": ["T_HOME"]}}
    assert committed(engine, admins.is_admin, "T1", "W1", grid_admin)
    assert not committed(
        engine, admins.is_admin, "T1", "W1", elsewhere
    )  # an admin, but not of a workspace with T1
    assert not committed(engine, admins.is_admin, "T1", "W1", {**grid_admin, "deleted": True})
    assert not committed(engine, admins.is_admin, "T1", "W1", {})  # Slack doesn't know them: no rights
