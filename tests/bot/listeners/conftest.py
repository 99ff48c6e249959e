from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.app import build_app
from bot.clock import SetClock
from bot.config import Settings
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import SECRET, BotServer, button_press
from bot.rendering.profile_modal import SKILLS
from bot.web import wsgi_app
from tests.moments import MONDAY


@dataclass
class Harness:
    slack: FakeSlack
    bot: BotServer
    engine: Any
    clock: SetClock  # the app's clock: set it to act at another moment


def start(engine) -> Iterator[Harness]:
    with FakeSlack() as slack:
        slack.add_user("U1", "Ana", "Europe/Lisbon")
        slack.add_user("U2", "Bo", "America/New_York")
        settings = Settings(
            slack_api_url=slack.api_url, slack_signing_secret=SECRET, slack_bot_token="xoxb-test"
        )
        clock = SetClock(MONDAY)
        with BotServer(wsgi_app(build_app(settings, engine, clock=clock), engine)) as bot:
            yield Harness(slack, bot, engine, clock)


@pytest.fixture
def harness(engine) -> Iterator[Harness]:
    yield from start(engine)


def state(**fields: Any) -> dict[str, Any]:
    """``view.state.values`` as Slack sends it, from block id -> value(s)."""
    values: dict[str, Any] = {}
    for block, value in fields.items():
        if isinstance(value, list):
            element = {
                "type": "multi_static_select" if block != "flags" else "checkboxes",
                "selected_options": [{"value": v} for v in value],
            }
        elif block in ("team", "other_goals"):
            element = {"type": "plain_text_input", "value": value}
        else:
            element = {"type": "static_select", "selected_option": {"value": value}}
        skills = block.startswith(("strength_", "goal_"))
        values[block] = {SKILLS if skills else "value": element}
    return values


def click(action_id: str, user: str = "U1", team: str = "T1", response_url: str = "") -> dict[str, Any]:
    return button_press(action_id, user=user, team=team, response_url=response_url)


MENTOR_PROFILE = dict(
    role="data engineer",
    seniority="senior",
    team="Platform",
    strength_5=["sql"],
    strength_4=["data-pipelines"],
    goal_3=["stakeholder-management"],
    mentor_capacity="2",
    flags=["wants_mentor", "open_to_contact"],
)
