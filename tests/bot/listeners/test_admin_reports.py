"""Admin reports in Slack: refused to non-admins, chart uploaded through both calls, CSV export."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli.app import app
from bot.storage.models import AuditLog, ProgramSettings
from tests.bot.reports_seed import seed_history


def test_report_for_admins_only_with_chart_in_the_admin_channel(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed_history(engine)
    slack.add_user("UADMIN", "Admin", admin=True)

    bot.command("admin report", user="U2", response_url=slack.url + "/respond/no")
    assert "Only program admins" in slack.wait_for("/respond/no")[0].params["text"]
    assert slack.of("files.getUploadURLExternal") == []

    assert "Usage" in bot.command("admin report forever", user="UADMIN").json()["text"]
    bot.command("admin report 12", user="UADMIN", response_url=slack.url + "/respond/r")
    shown = str(slack.wait_for("/respond/r")[0].params["blocks"])
    assert "2 mentees want kaggle; nobody offers it" in shown
    assert "Helpful" not in shown  # comments only with --comments
    (get_url,) = slack.wait_for("files.getUploadURLExternal")
    (shared,) = slack.wait_for("files.completeUploadExternal")
    assert shared.params["channel_id"] == "CADMIN"
    (file_id,) = [f["id"] for f in slack.shared[0]["files"]]
    png = slack.uploads[file_id]  # the file shared is the one uploaded
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int(get_url.params["length"]) == len(png)
    with Session(engine) as s:
        actions = [(a.actor_id, a.action) for a in s.exec(select(AuditLog)).all()]
    assert ("U2", "refused") in actions and ("UADMIN", "report.view") in actions


def test_export_csv_by_dm_and_admin_add(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed_history(engine)
    slack.add_user("UADMIN", "Admin", admin=True)
    bot.command("admin export", user="UADMIN", response_url=slack.url + "/respond/e")
    assert "direct messages" in slack.wait_for("/respond/e")[0].params["text"]
    (shared,) = slack.wait_for("files.completeUploadExternal")
    assert shared.params["channel_id"] == "DUADMIN"
    rows = list(csv.DictReader(io.StringIO(next(iter(slack.uploads.values())).decode())))
    assert len(rows) == 3 and rows[0]["mentee_id"] == "UE1"

    assert "Usage" in bot.command("admin add bob", user="UADMIN").json()["text"]
    bot.command("admin add <@U2|bo>", user="UADMIN", response_url=slack.url + "/respond/a")
    assert "is now a program admin" in slack.wait_for("/respond/a")[0].params["text"]
    with Session(engine) as s:
        assert s.get(ProgramSettings, "T1").admins == ["U2"]


def test_report_from_the_shell(engine, tmp_path, monkeypatch):
    seed_history(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = CliRunner().invoke(
        app, ["report", "--team", "T1", "--csv", str(tmp_path / "p.csv"), "--png", str(tmp_path / "c.png")]
    )
    assert out.exit_code == 0, out.output
    assert "gap: 2 mentees want kaggle; nobody offers it" in out.output
    assert "8 members: 3 mentors, 4 mentees (1 both), 2 paused" in out.output
    assert len(list(csv.DictReader((tmp_path / "p.csv").open()))) == 3
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_home_tab_shows_the_program_to_admins_only(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed_history(engine)
    slack.add_user("UADMIN", "Admin", admin=True)
    bot.event({"type": "app_home_opened", "user": "UADMIN", "tab": "home"})
    admin_home = str(slack.wait_for("views.publish")[-1].params["view"])
    assert "Program (admins)" in admin_home and "2 mentees want kaggle; nobody offers it" in admin_home
    bot.event({"type": "app_home_opened", "user": "U2", "tab": "home"})
    member_home = str(slack.wait_for("views.publish", 2)[-1].params["view"])
    assert "Program (admins)" not in member_home and "kaggle" not in member_home


def test_a_chart_that_cant_be_shared_says_why_and_the_figures_still_arrive(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed_history(engine)
    slack.add_user("UADMIN", "Admin", admin=True)
    slack.add_channel("CADMIN", bot_member=False)
    bot.command("admin report", user="UADMIN", response_url=slack.url + "/respond/r")
    report, why = slack.wait_for("/respond/r", 2)
    assert "2 mentees want kaggle" in str(report.params["blocks"])
    assert (
        "couldn't share the chart in <#CADMIN>" in why.params["text"]
        and "not_in_channel" in why.params["text"]
    )
    assert "Invite me to that channel" in why.params["text"] and "try again" not in why.params["text"]
