"""Each member is answered in their own language: Slack's locale for them, or the one they
chose in their profile; a message to a pair that doesn't share one is written in both."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.jobs.worker import run_round
from bot.services import exports
from bot.storage.models import Member, Outbox
from tests.bot.jobs.conftest import client_for, deliver
from tests.bot.listeners.conftest import MENTOR_PROFILE, state
from tests.factories import join, mentee_form, mentor_form
from tests.moments import MONDAY


def shown(reply_or_params) -> str:
    body = reply_or_params if isinstance(reply_or_params, dict) else reply_or_params.json()
    return json.dumps(body, ensure_ascii=False)


def test_someone_slack_knows_as_chinese_is_answered_in_chinese_until_they_choose_english(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    slack.add_user("U3", "Chen", "Asia/Shanghai", locale="zh-CN")

    # No profile yet: the language comes from Slack (users.info with include_locale).
    assert "每周为导师和学员配对" in shown(bot.command("help", user="U3"))
    assert "pairs mentors and mentees every week" in shown(bot.command("help", user="U1"))  # en-US
    bot.command("profile", user="U3")
    modal = slack.wait_for("views.open")[-1].params["view"]
    assert modal["title"]["text"] == "导师计划资料" and "监督学习" in shown(modal)  # catalog skills too
    assert len(modal["title"]["text"]) <= 24 and slack.invalid == []

    # Saved following Slack: stored with the locale, and the answer is in Chinese.
    reply = bot.interaction(submission(state(**MENTOR_PROFILE), user="U3"))
    assert "你的资料已保存" in shown(reply)
    with Session(engine) as s:
        member = s.get(Member, ("T1", "U3"))
        assert (member.slack_locale, member.language) == ("zh-CN", "")
    assert "SQL (5/5)" in shown(bot.command("status", user="U3"))

    # They choose English in the profile: from that answer on, English.
    reply = bot.interaction(submission(state(**MENTOR_PROFILE, language="en"), user="U3"))
    assert "Your profile is saved" in shown(reply)
    assert "sql (5/5)" in shown(bot.command("status", user="U3"))
    bot.command("profile", user="U3")
    again = slack.wait_for("views.open", 2)[-1].params["view"]
    (language,) = [b for b in again["blocks"] if b.get("block_id") == "language"]
    assert language["element"]["initial_option"]["value"] == "en"


def test_an_unknown_language_choice_is_refused_on_the_form_and_nothing_is_stored(harness):
    reply = harness.bot.interaction(submission(state(**MENTOR_PROFILE, language="klingon"))).json()
    assert reply["response_action"] == "errors" and set(reply["errors"]) == {"language"}
    with Session(harness.engine) as s:
        assert s.get(Member, ("T1", "U1")) is None


def test_an_intro_for_a_chinese_mentee_and_an_english_mentor_is_in_both_the_mentees_first(harness):
    engine, slack = harness.engine, harness.slack
    join(engine, "T1", "UM1", mentor_form({"sql": 5}, team="a"), name="Mentor", timezone="Europe/London")
    mentee = mentee_form({"sql": 3}, team="b")
    join(engine, "T1", "UE1", mentee, name="学员", timezone="Europe/Berlin", slack_locale="zh-CN")
    outcome = run_round(engine, "T1", MONDAY)
    assert [(p.mentor_id, p.mentee_id) for p in outcome.pairs] == [("UM1", "UE1")]
    with Session(engine) as s:
        payloads = {r.dedupe_key.split(":")[0]: r.payload for r in s.exec(select(Outbox)).all()}
    intro = shown(payloads["intro"])
    assert intro.index("认识一下你的导师配对") < intro.index("Meet your mentoring match")
    assert "Mentor 擅长 SQL (5/5)，正是 学员 想学的" in intro
    assert "Mentor is strong in sql (5/5), which 学员 wants to learn" in intro
    check_in = shown(payloads["checkin"])
    assert "你们俩见过面了吗" in check_in and "Have you two met yet" in check_in

    deliver(engine, client_for(slack), lambda: MONDAY)
    assert slack.invalid == []  # both languages in one message: still within Slack's rules


def test_an_admin_is_answered_in_their_language_and_the_csv_keeps_its_english_headers(harness):
    bot, slack = harness.bot, harness.slack
    slack.add_user("UA", "Wang", "Asia/Shanghai", admin=True, locale="zh-CN")
    join(harness.engine, "T1", "UM1", mentor_form({"sql": 5}, team="a"), name="Mentor")
    join(harness.engine, "T1", "UE1", mentee_form({"sql": 3}, team="b"), name="Mentee")
    assert "管理员命令" in shown(bot.command("admin help", user="UA"))
    bot.command("admin run --dry-run", user="UA", response_url=slack.url + "/respond/preview")
    preview = shown(slack.wait_for("/respond/preview")[0].params)
    assert "这一轮的预览" in preview and "Mentor 擅长 SQL (5/5)" in preview
    bot.command("admin settings", user="UA")
    settings = slack.wait_for("views.open")[-1].params["view"]
    assert settings["title"]["text"] == "项目设置" and slack.invalid == []

    bot.command("admin export", user="UA", response_url=slack.url + "/respond/export")
    slack.wait_for("/respond/export")
    (shared,) = slack.shared
    csv_text = slack.uploads[shared["files"][0]["id"]].decode()
    assert csv_text.splitlines()[0] == ",".join(exports.CSV_COLUMNS)  # stable keys for spreadsheets


def test_a_skill_can_be_found_by_its_name_in_the_members_language(harness):
    harness.slack.add_user("U3", "Chen", "Asia/Shanghai", locale="zh-CN")
    join(harness.engine, "T1", "UM1", mentor_form({"supervised-learning": 5}), name="Mentor")
    found = shown(harness.bot.command("find 监督学习", user="U3"))
    assert "愿意聊聊 *监督学习* 的人" in found and "<@UM1>" in found
    assert "<@UM1>" in shown(harness.bot.command("find supervised learning", user="U3"))  # English too
    assert "<@UM1>" not in shown(harness.bot.command("find 监督学习", user="U1"))  # not an English name
