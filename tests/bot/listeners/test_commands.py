"""Every /mentor subcommand, bad input included, over signed HTTP."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.services import profiles
from bot.storage.models import Member, MemberSkill
from tests.bot.listeners.conftest import MENTOR_PROFILE, click, state


def save_profile(harness, user="U1"):
    reply = harness.bot.interaction(submission(state(**MENTOR_PROFILE), user=user))
    assert reply.json()["response_action"] == "update"


def text_of(reply) -> str:
    body = reply.json()
    return body.get("text", "") + json.dumps(body.get("blocks", []), ensure_ascii=False)


def test_help_for_empty_and_help(harness):
    for text in ("", "help", "HELP"):
        reply = harness.bot.command(text)
        assert reply.status_code == 200
        assert "/mentor profile" in text_of(reply)


def test_unknown_and_overlong_commands_get_a_helpful_answer(harness):
    assert "I don't know `dance`" in text_of(harness.bot.command("dance tonight"))
    assert "300 characters at most" in text_of(harness.bot.command("find " + "x" * 400))
    # Answered at once, in the language Slack reports for someone without a profile yet.
    assert {c.method for c in harness.slack.calls} == {"auth.test", "users.info"}
    assert all(c.params.get("include_locale") for c in harness.slack.of("users.info"))


def test_status_without_a_profile(harness):
    assert "You don't have a mentoring profile yet" in text_of(harness.bot.command("status"))


def test_pause_and_resume(harness):
    bot, engine = harness.bot, harness.engine
    assert "create a profile" in text_of(bot.command("pause"))
    save_profile(harness)
    assert "Use a number from 1 to 52" in text_of(bot.command("pause banana"))
    assert "Use a number from 1 to 52" in text_of(bot.command("pause 99"))
    assert "Paused for 2 weeks" in text_of(bot.command("pause 2"))
    with Session(engine) as s:
        assert s.get(Member, ("T1", "U1")).paused
    assert "Welcome back" in text_of(bot.command("resume"))
    with Session(engine) as s:
        assert not s.get(Member, ("T1", "U1")).paused


def test_find_by_skill_or_alias(harness):
    save_profile(harness)
    assert "Which skill?" in text_of(harness.bot.command("find"))
    assert "<@U1> (4/5)" in text_of(harness.bot.command("find spark", user="U2"))
    assert "No skill called “underwater basket weaving”" in text_of(
        harness.bot.command("find underwater basket weaving", user="U2")
    )
    assert "Nobody lists *kaggle*" in text_of(harness.bot.command("find kaggle", user="U2"))


def test_forget_me_asks_then_erases(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    save_profile(harness)
    confirm = bot.command("forget-me").json()
    assert "forget_me_confirm" in json.dumps(confirm["blocks"])
    with Session(engine) as s:
        assert s.get(Member, ("T1", "U1")) is not None  # nothing deleted before confirming
    bot.interaction(click("forget_me_confirm", response_url=slack.url + "/respond/1"))
    (done,) = slack.wait_for("/respond/1")
    assert "everything mentorbot stored about you is deleted" in done.params["text"]
    with Session(engine) as s:
        assert s.get(Member, ("T1", "U1")) is None
        assert s.exec(select(MemberSkill)).all() == []


def test_my_data_arrives_as_a_dm(harness):
    save_profile(harness)
    before = len(harness.slack.of("chat.postMessage"))
    assert "direct message" in text_of(harness.bot.command("my-data"))
    sent = harness.slack.wait_for("chat.postMessage", before + 1)[before:]
    body = "".join(c.params["blocks"][0]["text"]["text"] for c in sent)
    assert sent[0].params["channel"] == "U1"
    assert '"name": "Ana"' in body and '"sql": 5' in body


def test_home_tab_and_its_buttons(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    bot.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    welcome = slack.wait_for("views.publish")[-1].params["view"]
    assert "Create my profile" in json.dumps(welcome)
    save_profile(harness)
    n = len(slack.of("views.publish"))
    bot.interaction(click("home_pause"))
    home = slack.wait_for("views.publish", n + 1)[-1].params["view"]
    assert "Resume" in json.dumps(home) and "Paused until" in json.dumps(home)
    with Session(engine) as s:
        assert s.get(Member, ("T1", "U1")).paused
    bot.interaction(click("home_resume"))
    slack.wait_for("views.publish", n + 2)
    with Session(engine) as s:
        assert not s.get(Member, ("T1", "U1")).paused
    bot.interaction(click("home_edit_profile"))
    modal = slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == "profile_modal"
    # Saved from Home, the modal closes onto the Home tab: it is redrawn with the new profile.
    edited = dict(MENTOR_PROFILE, strength_5=["python"])
    n = len(slack.of("views.publish"))
    bot.interaction(submission(state(**edited), private_metadata=modal["private_metadata"]))
    assert "python" in json.dumps(slack.wait_for("views.publish", n + 1)[-1].params["view"])


def test_workspaces_are_kept_apart(harness):
    save_profile(harness)
    assert "You don't have a mentoring profile yet" in text_of(harness.bot.command("status", team="T2"))
    assert "Nobody lists" in text_of(harness.bot.command("find sql", user="U2", team="T2"))
    harness.bot.command("forget-me", team="T2")
    harness.bot.interaction(
        click("forget_me_confirm", team="T2", response_url=harness.slack.url + "/respond/2")
    )
    assert "had nothing stored" in harness.slack.wait_for("/respond/2")[0].params["text"]
    with Session(harness.engine) as s:
        assert profiles.load(s, "T1", "U1") is not None
