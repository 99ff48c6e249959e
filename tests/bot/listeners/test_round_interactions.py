"""Admin run and preview, check-ins and end-of-term feedback, through the Slack app."""

from __future__ import annotations

import itertools
import json

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.jobs.worker import run_round
from bot.storage.models import AuditLog, Feedback, Outbox, Pairing, Round
from tests.bot.jobs.conftest import seed
from tests.bot.listeners.conftest import click
from tests.moments import MONDAY


def test_admin_run_preview_then_run_and_non_admins_refused(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed(engine, mentors=2, mentees=2)
    slack.add_user("UADMIN", "Admin", admin=True)

    assert "Admin commands" in bot.command("admin dance", user="UADMIN").json()["text"]

    bot.command("admin run --dry-run", user="UADMIN", response_url=slack.url + "/respond/preview")
    (preview,) = slack.wait_for("/respond/preview")
    assert "Preview of the" in preview.params["text"]
    assert "2* new pairs" in str(preview.params["blocks"])
    with Session(engine) as s:
        assert s.exec(select(Round)).all() == [] and s.exec(select(Outbox)).all() == []

    bot.command("admin run", user="U2", response_url=slack.url + "/respond/nope")
    refused = slack.wait_for("/respond/nope")[0]
    assert "Only program admins" in refused.params["text"]

    bot.command("admin run", user="UADMIN", response_url=slack.url + "/respond/run")
    done = slack.wait_for("/respond/run")[0]
    assert "is done" in done.params["text"]
    with Session(engine) as s:
        assert len(s.exec(select(Pairing)).all()) == 2
        actions = [(a.actor_id, a.action) for a in s.exec(select(AuditLog).order_by(AuditLog.id)).all()]
    assert actions == [("UADMIN", "round.preview"), ("U2", "refused"), ("UADMIN", "round.run")]

    bot.command("admin run", user="UADMIN", response_url=slack.url + "/respond/again")
    assert "already run" in slack.wait_for("/respond/again")[0].params["text"]


def test_checkin_answers_are_stored_and_not_working_frees_both(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed(engine, mentors=1, mentees=1)
    run_round(engine, "T1", now=MONDAY)
    with Session(engine) as s:
        pairing = s.exec(select(Pairing)).one()

    def answer(action, user, url):
        payload = click(action, user=user, response_url=slack.url + url)
        payload["actions"][0]["value"] = str(pairing.id)
        bot.interaction(payload)
        return slack.wait_for(url)[0].params["text"]

    assert "Great" in answer("checkin_met", pairing.mentor_id, "/respond/a")
    assert "isn't one of yours" in answer("checkin_met", "U2", "/respond/b")
    assert "ended this pairing" in answer("checkin_not_working", pairing.mentee_id, "/respond/c")
    with Session(engine) as s:
        assert s.get(Pairing, pairing.id).status == "ended_early"
        answers = sorted((f.user_id, f.answer) for f in s.exec(select(Feedback)).all())
    assert answers == sorted([(pairing.mentor_id, "met"), (pairing.mentee_id, "not_working")])


def test_end_of_term_feedback_modal(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    seed(engine, mentors=1, mentees=1)
    run_round(engine, "T1", now=MONDAY)
    with Session(engine) as s:
        pairing = s.exec(select(Pairing)).one()
    payload = click("feedback_open", user=pairing.mentee_id)
    payload["actions"][0]["value"] = str(pairing.id)
    bot.interaction(payload)
    view = slack.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == "feedback_modal" and view["private_metadata"] == str(pairing.id)

    def submit(rating, user):
        values = {"comment": {"value": {"type": "plain_text_input", "value": "Very helpful"}}}
        if rating:
            values["rating"] = {"value": {"type": "static_select", "selected_option": {"value": rating}}}
        return bot.interaction(
            submission(values, user=user, callback_id="feedback_modal", private_metadata=str(pairing.id))
        )

    assert "rating" in submit(None, pairing.mentee_id).json()["errors"]
    assert "isn't one of yours" in submit("5", "U2").json()["errors"]["rating"]
    assert submit("5", pairing.mentee_id).text == ""
    with Session(engine) as s:
        (fb,) = s.exec(select(Feedback)).all()
    assert (fb.kind, fb.rating, fb.comment) == ("end", 5, "Very helpful")


def settings_submission(user: str, channel: str = "CADM", **changes: str) -> dict:
    """The settings modal submitted by ``user``, with ``changes`` to its usual answers."""
    fields = {
        "cadence_weeks": "2",
        "weekday": "2",
        "hour": "9",
        "term_weeks": "8",
        "checkin_days": "3",
        "objective": "best-score",
        "rarity": "0.5",
        "heads_up_hours": "48",
        "no_show_limit": "4",
        "review": "drop",
        "format": "shortlist",
        "shortlist_size": "4",
        "request_days": "2",
    }
    fields.update(changes)
    values = {
        k: {"value": {"type": "static_select", "selected_option": {"value": v}}} for k, v in fields.items()
    }
    values["timezone"] = {
        "value": {"type": "plain_text_input", "value": changes.get("tz", "America/Chicago")}
    }
    values["admin_channel"] = {"value": {"type": "conversations_select", "selected_conversation": channel}}
    values["admins"] = {"value": {"type": "multi_users_select", "selected_users": ["U2"]}}
    values["allow_same_team"] = {"value": {"type": "checkboxes", "selected_options": []}}
    return submission(values, user=user, callback_id="program_settings_modal")


def test_admin_settings_modal_saves_validates_and_refuses_non_admins(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    slack.add_user("UADMIN", "Admin", admin=True)
    bot.command("admin settings", user="U2", response_url=slack.url + "/respond/no")
    assert "Only program admins" in slack.wait_for("/respond/no")[0].params["text"]
    assert slack.of("views.open") == []

    bot.command("admin settings", user="UADMIN")
    view = slack.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == "program_settings_modal" and len(view["title"]["text"]) <= 24

    def submit(user, **changes):
        return bot.interaction(settings_submission(user, **changes))

    assert "IANA" in submit("UADMIN", tz="Mars/Olympus").json()["errors"]["timezone"]
    assert "aims for" in submit("UADMIN", objective="luck").json()["errors"]["objective"]
    assert "scarce" in submit("UADMIN", rarity="9").json()["errors"]["rarity"]
    assert "3 to 5" in submit("UADMIN", shortlist_size="9").json()["errors"]["shortlist_size"]
    assert "Only program admins" in submit("U3").json()["errors"]["cadence_weeks"]
    assert submit("UADMIN").text == ""
    from bot.storage.models import ProgramSettings

    bot.command("admin settings", user="UADMIN")  # the modal shows what was saved
    shown = json.dumps(slack.wait_for("views.open", 2)[-1].params["view"])
    assert "Best matches only" in shown and '"value": "0.5"' in shown

    with Session(engine) as s:
        st = s.get(ProgramSettings, "T1")
        assert (st.cadence_weeks, st.weekday, st.hour, st.timezone, st.term_weeks, st.checkin_days) == (
            2,
            2,
            9,
            "America/Chicago",
            8,
            3,
        )
        assert (st.allow_same_team, st.admin_channel, st.admins) == (False, "CADM", ["U2"])
        assert (st.objective, st.rarity, st.heads_up_hours, st.no_show_limit) == ("best-score", 0.5, 48, 4)
        assert (st.review_before_publish, st.review_expiry) == (True, "drop")
        assert (st.format, st.shortlist_size, st.request_days) == ("shortlist", 4, 2)
        assert ("UADMIN", "settings.update") in [
            (a.actor_id, a.action) for a in s.exec(select(AuditLog)).all()
        ]
    # U2 is now a program admin by name
    bot.command("admin run --dry-run", user="U2", response_url=slack.url + "/respond/u2")
    assert "Preview of the" in slack.wait_for("/respond/u2")[0].params["text"]


def test_the_admin_channel_must_be_one_the_bot_can_post_in(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    slack.add_user("UADMIN", "Admin", admin=True)
    slack.add_channel("CPUBLIC", bot_member=False)
    slack.add_channel("CSECRET", private=True, bot_member=False)
    slack.add_channel("CINVITED", private=True)
    slack.add_channel("COLD", archived=True)

    def saved_channel():
        with Session(engine) as s:
            from bot.storage.models import ProgramSettings

            settings = s.get(ProgramSettings, "T1")
            return settings.admin_channel if settings else None

    def errors(channel):
        reply = bot.interaction(settings_submission("UADMIN", channel=channel))
        return reply.json()["errors"]["admin_channel"] if reply.text else None

    assert "Invite @mentorbot" in errors("CSECRET") and saved_channel() is None
    assert "archived" in errors("COLD") and saved_channel() is None
    assert errors("CPUBLIC") is None and saved_channel() == "CPUBLIC"
    assert slack.channels["CPUBLIC"].bot_member  # it joined the public channel
    assert errors("CINVITED") is None and saved_channel() == "CINVITED"


def test_cadence_and_schedule_decide_when_a_round_is_due(engine):
    from datetime import UTC, datetime

    from bot.services.rounds import is_due, period_of
    from bot.storage.models import ProgramSettings

    weekly = ProgramSettings(team_id="T", weekday=2, hour=9, timezone="America/Chicago")
    wed_8am_chicago = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    wed_9am_chicago = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert not is_due(weekly, wed_8am_chicago) and is_due(weekly, wed_9am_chicago)
    fortnightly = ProgramSettings(team_id="T", cadence_weeks=2, timezone="UTC")
    weeks = [period_of(fortnightly, datetime(2026, 11, d, 12, tzinfo=UTC)) for d in (2, 9, 16, 23, 30)]
    assert len(set(weeks)) == 3 and weeks[0] != weeks[2]
    assert sum(1 for a, b in itertools.pairwise(weeks) if a == b) == 2
