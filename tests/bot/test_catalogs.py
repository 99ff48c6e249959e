"""The gettext catalogs: the template holds every text the code marks, every language translates
all of them, and no translation breaks a placeholder or Slack's markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot import i18n
from bot.devtools.catalog_rules import translation_problems

ROOT = Path(__file__).parents[2]
LOCALE = ROOT / "bot" / "locale"
TRANSLATED = sorted(set(i18n.LANGUAGES) - {i18n.ENGLISH})


def ids(path: Path) -> set[str]:
    with path.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}


def test_the_template_holds_every_text_the_code_marks():
    """What `pybabel extract` finds today is what the committed template has (.ci/catalogs)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map)
    }
    assert found == ids(LOCALE / "mentorbot.pot")
    assert "Meet your mentoring match" in found and "supervised learning" in found  # code and catalog


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_without_breaking_placeholders_or_slack_markup(language):
    path = LOCALE / language / "LC_MESSAGES" / "mentorbot.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == ids(
        LOCALE / "mentorbot.pot"
    )
    problems = {}
    for m in catalog:
        if not m.id:
            continue
        sources = [m.id] if isinstance(m.id, str) else list(m.id)
        targets = [m.string] if isinstance(m.string, str) else list(m.string)
        found = ["fuzzy"] if m.fuzzy else []
        for target in targets:  # each plural form against the English plural
            found += translation_problems(sources[-1], target)
        if found:
            problems[sources[0]] = found
    assert problems == {}


@pytest.mark.parametrize(
    ("source", "translated", "problem"),
    [
        ("Meet {mentor}", "", "not translated"),
        ("Meet {mentor}", "认识 {导师}", "placeholders"),
        ("Meet {mentor}", "认识 {mentor", "broken placeholder"),
        ("Meet {mentor} and {mentee}", "认识 {mentor}", "placeholders"),
        ("Ask <@U1> now", "现在问 @U1", "Slack tokens differ"),
        ("On <!date^1700000000^x|then>", "在 <!date^1^x|then>", "Slack tokens differ"),
        ("Use `/mentor status`", "使用 `/mentor 状态`", "commands in backticks differ"),
        ("*Why you two*", "*为什么是你们俩", "bold markers"),
        ("Find &lt;skill&gt;", "查找 <skill>", "entities differ"),
        ("R and D", "R & D", "unescaped '&'"),
    ],
)
def test_the_rules_catch_a_broken_translation(source, translated, problem):
    assert any(problem in p for p in translation_problems(source, translated))


def test_a_translation_may_name_a_placeholder_fewer_times_than_the_english():
    assert (
        translation_problems(
            "{mentor} manages {mentee} or reports to {mentee}", "{mentor} 是 {mentee} 的上级"
        )
        == []
    )


def test_a_faithful_translation_passes():
    assert (
        translation_problems(
            "*{mentee} wants:* <@U1> `/mentor help`", "*{mentee} 想学：* <@U1> `/mentor help`"
        )
        == []
    )


def test_the_bot_writes_in_the_language_it_is_speaking():
    assert i18n._("Meet your mentoring match") == "Meet your mentoring match"
    with i18n.speaking("zh_CN"):
        assert i18n._("Meet your mentoring match") == "认识一下你的导师配对"
        assert i18n.ngettext("asked to mentor ({count} free slot)", "asked to mentor ({count} free slots)", 2)
        assert i18n._("a text nobody translated") == "a text nobody translated"
    assert i18n.current() == i18n.ENGLISH


@pytest.mark.parametrize(
    ("slack_locale", "chosen", "language"),
    [
        ("zh-CN", "", "zh_CN"),
        ("en-GB", "", "en"),
        ("ja-JP", "", "en"),  # no catalog: English
        ("", "", "en"),
        ("en-US", "zh_CN", "zh_CN"),  # the profile's choice wins
        ("zh-CN", "en", "en"),
        ("zh-CN", "klingon", "zh_CN"),
    ],
)
def test_a_members_language_is_their_choice_else_their_slack_locale(slack_locale, chosen, language):
    assert i18n.member_language(chosen, slack_locale) == language
