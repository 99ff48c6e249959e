"""One workspace can never read or change another's data, through any command that names a user,
a skill or a pairing.

Workspace T1 runs a program with a live pairing. In workspace T2, an admin and a
member who shares a user id with one of T1's mentors (Enterprise Grid ids span
workspaces) try every entry point with T1's user ids, skills and pairing ids.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission
from bot.jobs.worker import run_round
from bot.storage.models import AuditLog, Feedback, Member, MemberSkill, Pairing, ProgramSettings, Round
from tests.bot.jobs.conftest import MONDAY, seed
from tests.bot.listeners.conftest import click

T2 = "T2"
ADMIN2 = "UADMIN2"
SHARED = "UM000"  # T1's mentor; the same person is also a member of T2


@pytest.fixture
def two_workspaces(harness):
    seed(harness.engine, mentors=2, mentees=2)  # T1: mentors know sql
    run_round(harness.engine, "T1", MONDAY)
    harness.slack.add_user(ADMIN2, "T2 Admin", team_id=T2, admin=True)
    harness.slack.add_user(SHARED, "Mentor 0", team_id="T1")
    harness.slack.users[SHARED]["enterprise_user"] = {"teams": ["T1", T2]}
    with Session(harness.engine) as s:
        pairing = s.exec(select(Pairing).where(Pairing.mentor_id == SHARED)).one()
    return harness, pairing


def t1_state(engine) -> dict:
    """Everything T1 owns, to compare before and after T2's attempts."""
    with Session(engine) as s:
        return {
            "members": sorted(
                (m.user_id, m.paused) for m in s.exec(select(Member).where(Member.team_id == "T1"))
            ),
            "skills": len(s.exec(select(MemberSkill).where(MemberSkill.team_id == "T1")).all()),
            "pairings": sorted(
                (p.id, p.status) for p in s.exec(select(Pairing).where(Pairing.team_id == "T1"))
            ),
            "rounds": len(s.exec(select(Round).where(Round.team_id == "T1")).all()),
            "feedback": len(s.exec(select(Feedback)).all()),
            "settings": s.get(ProgramSettings, "T1").model_dump(),
        }


def test_nothing_crosses_from_one_workspace_to_another(two_workspaces):
    harness, pairing = two_workspaces
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    before = t1_state(engine)
    respond = slack.url + "/respond/"

    # Skills: T1's mentors teach sql; T2 has nobody.
    found = bot.command("find sql", user=ADMIN2, team=T2).json()
    assert "Nobody lists" in json.dumps(found) and "Mentor 0" not in json.dumps(found)

    # Users: my data and status in T2 hold nothing of T1's profile; forget-me in T2 leaves T1 alone.
    assert "don't have a mentoring profile" in json.dumps(bot.command("status", user=SHARED, team=T2).json())
    bot.command("my-data", user=SHARED, team=T2)
    dm = slack.wait_for("chat.postMessage")[-1]
    assert dm.params["channel"] == SHARED and "sql" not in json.dumps(dm.params)
    bot.command("forget-me", user=SHARED, team=T2)
    bot.interaction(click("forget_me_confirm", user=SHARED, team=T2, response_url=respond + "forget"))
    slack.wait_for("/respond/forget")

    # Pairings: T1's pairing id in T2's buttons and modals, by the very person in it.
    for action in ("checkin_met", "checkin_not_working"):
        payload = click(action, user=SHARED, team=T2, response_url=respond + action)
        payload["actions"][0]["value"] = str(pairing.id)
        bot.interaction(payload)
        assert "isn't one of yours" in slack.wait_for(f"/respond/{action}")[0].params["text"]
    opened = len(slack.of("views.open"))
    payload = click("feedback_open", user=SHARED, team=T2, response_url=respond + "fb")
    payload["actions"][0]["value"] = str(pairing.id)
    bot.interaction(payload)
    assert "isn't one of yours" in slack.wait_for("/respond/fb")[0].params["text"]
    assert len(slack.of("views.open")) == opened
    values = {"rating": {"value": {"type": "static_select", "selected_option": {"value": "1"}}}}
    reply = bot.interaction(
        view_submission(
            values, user=SHARED, team=T2, callback_id="feedback_modal", private_metadata=str(pairing.id)
        )
    ).json()
    assert "isn't one of yours" in reply["errors"]["rating"]

    # Admin commands in T2 see and change T2 only.
    bot.command("admin export", user=ADMIN2, team=T2, response_url=respond + "export")
    slack.wait_for("/respond/export")
    (upload,) = slack.uploads.values()
    exported = list(csv.DictReader(io.StringIO(upload.decode())))
    assert exported == []
    bot.command("admin report", user=ADMIN2, team=T2, response_url=respond + "report")
    shown = json.dumps(slack.wait_for("/respond/report")[0].params)
    assert "sql" not in shown and "Mentor 0" not in shown
    bot.command("admin run", user=ADMIN2, team=T2, response_url=respond + "run")
    assert "is done" in slack.wait_for("/respond/run")[0].params["text"]
    bot.command(f"admin add <@{SHARED}>", user=ADMIN2, team=T2, response_url=respond + "add-ok")
    assert "is now a program admin" in slack.wait_for("/respond/add-ok")[0].params["text"]
    bot.command("admin add <@UE000>", user=ADMIN2, team=T2, response_url=respond + "add-no")
    assert "isn't a member of this workspace" in slack.wait_for("/respond/add-no")[0].params["text"]

    # A T1 admin-to-be can't act on T1 from T2, and T2's admins are T2's.
    bot.command("admin run", user=SHARED, team="T1", response_url=respond + "t1")
    assert "Only program admins" in slack.wait_for("/respond/t1")[0].params["text"]

    after = t1_state(engine)
    assert after == before
    with Session(engine) as s:
        assert s.get(ProgramSettings, T2).admins == [SHARED]
        assert s.get(ProgramSettings, "T1").admins == []
        t2_audit = {a.action for a in s.exec(select(AuditLog).where(AuditLog.team_id == T2))}
        t1_audit = {(a.actor_id, a.action) for a in s.exec(select(AuditLog).where(AuditLog.team_id == "T1"))}
    assert {"round.run", "admin.add"} <= t2_audit
    assert t1_audit == {(SHARED, "refused")}
