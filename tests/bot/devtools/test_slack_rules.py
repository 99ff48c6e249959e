"""The fake Slack's rules catch what real Slack refuses: each rule shown failing on a payload that
breaks it, passing on one that keeps it."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.devtools import slack_rules
from bot.devtools.fake_slack import FakeSlack
from bot.rendering.blocks import button, escape, message, option, section, select_input


def modal(**fields):
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Profile"},
        "blocks": [section("hi")],
        **fields,
    }


def test_mrkdwn_must_escape_what_isnt_slack_markup():
    ok = "<@U123>, <#C42|general>, <!date^1700000000^{date_short_pretty}|14 Nov>, <https://x.org|x>\n> quote"
    assert slack_rules.mrkdwn_problems(ok) == []
    assert slack_rules.mrkdwn_problems(escape("R&D <team> 2 > 1")) == []
    for raw in ("R&D", "/mentor find <skill>", "2 > 1", "<!channel"):
        assert slack_rules.mrkdwn_problems(raw), raw


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (message([section("x")] * 51, "x"), "more than 50"),
        ({"blocks": [section("x")]}, "without a text fallback"),
        (message([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "x"), "3000"),
        (
            message(
                [
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": {"type": "plain_text", "text": "b" * 76},
                                "action_id": "a",
                            }
                        ],
                    }
                ],
                "x",
            ),
            "button text",
        ),
        (message([{"type": "wobble"}], "x"), "not a block"),
        (message([section("ok")], "a & b"), "unescaped '&'"),
    ],
)
def test_message_rules(payload, problem):
    assert any(problem in p for p in slack_rules.message_problems(payload)), slack_rules.message_problems(
        payload
    )
    assert slack_rules.message_problems(message([section("fine")], "fine")) == []


def test_view_rules():
    assert slack_rules.view_problems(modal()) == []
    assert any(
        "title" in p for p in slack_rules.view_problems(modal(title={"type": "plain_text", "text": "t" * 25}))
    )
    assert any("private_metadata" in p for p in slack_rules.view_problems(modal(private_metadata="m" * 3001)))
    assert any("100" in p for p in slack_rules.view_problems(modal(blocks=[section("x")] * 101)))
    many = [option(f"skill {k}", f"s{k}") for k in range(101)]
    assert any(
        "more than 100 options" in p
        for p in slack_rules.view_problems(modal(blocks=[select_input("s", "S", many)]))
    )
    stale = select_input("s", "S", [option("a", "a")])
    stale["element"]["initial_option"] = option("gone", "gone")
    assert any("not among the options" in p for p in slack_rules.view_problems(modal(blocks=[stale])))
    assert any(
        "option text" in p
        for p in slack_rules.view_problems(
            modal(
                blocks=[
                    select_input("s", "S", [{"text": {"type": "plain_text", "text": "o" * 76}, "value": "v"}])
                ]
            )
        )
    )
    assert (
        slack_rules.view_problems(modal(blocks=[{"type": "actions", "elements": [button("ok", "a")]}])) == []
    )


def test_the_fake_answers_missing_scope_and_refuses_bad_payloads_as_slack_does():
    with (
        pytest.raises(AssertionError, match="payloads Slack would refuse"),
        FakeSlack(scopes=["chat:write"]) as slack,
    ):
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        with pytest.raises(SlackApiError) as refused:
            client.users_info(user="U1")
        assert refused.value.response["error"] == "missing_scope"
        assert refused.value.response["needed"] == "users:read"
        with pytest.raises(SlackApiError) as refused:
            client.conversations_history(channel="CADMIN")
        assert (refused.value.response["error"], refused.value.response["needed"]) == (
            "missing_scope",
            "channels:history",
        )
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="CADMIN", text="a <b> c")
        assert refused.value.response["error"] == "invalid_blocks"
        assert client.chat_postMessage(channel="CADMIN", text="fine")["ok"]
    # leaving the block failed: the refused payload is remembered against the test that sent it


def test_text_cut_to_a_limit_says_so_and_never_tears_an_entity_or_a_mention():
    from bot.rendering.blocks import SECTION_TEXT_LIMIT, button, clip

    lines = [f"• <@U{k:05d}> &amp; friends" for k in range(200)]
    shown = section("\n".join(lines))["text"]["text"]
    assert len(shown) <= SECTION_TEXT_LIMIT and "more lines (cut to fit Slack's limit)" in shown
    assert slack_rules.mrkdwn_problems(shown) == []
    cut_at = SECTION_TEXT_LIMIT - len("… (cut to fit Slack's limit)")
    for torn in ("&amp;", "<@U12345>"):  # the cut falls inside each
        one_line = section("x" * (cut_at - 2) + torn + "y" * 100)["text"]["text"]
        assert one_line.endswith("x… (cut to fit Slack's limit)"), one_line[-40:]
        assert slack_rules.mrkdwn_problems(one_line) == []
    assert clip("Ask " + "A very long name " * 10, 75).endswith("…")
    assert len(button("Ask " + "n" * 100, "a")["text"]["text"]) == 75
