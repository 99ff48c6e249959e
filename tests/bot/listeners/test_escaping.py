"""Member text renders as written: never a mention, a channel link or a link.

Names (from Slack), teams, goals, comments and what follows a command are full of Slack markup
here. The fake Slack refuses any message whose mrkdwn has a bare ``&``, ``<`` or ``>`` that isn't
Slack's own markup, so every surface this test reaches is checked; the asserts below show the
text did arrive, escaped.
"""

from __future__ import annotations

import json
import time

from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission as submission
from bot.services import feedback
from bot.storage.models import Pairing
from tests.bot.jobs.conftest import client_for, tick
from tests.bot.listeners.conftest import MENTOR_PROFILE, state
from tests.factories import committed
from tests.moments import MONDAY

TEAM = "<#C0GENERAL|general> R&D"
OTHER = "<https://evil.example|free money> & <!channel>"
NAME = "Bo <!here>"


def test_member_text_is_escaped_everywhere_it_is_shown(harness):
    bot, slack, engine = harness.bot, harness.slack, harness.engine
    slack.add_user("U2", NAME, "Europe/Lisbon")
    slack.add_user("UADMIN", "Admin", admin=True)
    mentee = dict(
        role="data analyst",
        seniority="junior",
        team=TEAM,
        goal_3=["sql"],
        other_goals=OTHER,
        mentor_capacity="0",
        flags=["wants_mentor"],
    )
    assert bot.interaction(submission(state(**MENTOR_PROFILE))).json()["response_action"] == "update"
    assert bot.interaction(submission(state(**mentee), user="U2")).json()["response_action"] == "update"

    status = json.dumps(bot.command("status", user="U2").json(), ensure_ascii=False)
    assert "team &lt;#C0GENERAL|general&gt; R&amp;D" in status
    assert "&lt;https://evil.example|free money&gt; &amp; &lt;!channel&gt;" in status
    assert "*Bo &lt;!here&gt;*" in status
    assert "&lt;!here&gt;" in json.dumps(bot.command("find <!here>").json())
    assert "&lt;!channel&gt;" in json.dumps(bot.command("<!channel>").json())
    assert "/mentor find &lt;skill&gt;" in json.dumps(bot.command("help").json())

    tick(engine, client_for(slack), MONDAY)  # the round: the intro names both and gives the reasons
    intro = json.dumps(next(m for c, msgs in slack.messages.items() if c.startswith("G") for m in msgs))
    assert "R&amp;D" in intro and "Bo &lt;!here&gt;" in intro

    with Session(engine) as s:
        (pairing,) = s.exec(select(Pairing)).all()
    subject = feedback.Subject(pairing.id)
    committed(engine, feedback.record_feedback, "T1", subject, "U2", 5, "<!channel> loved it\n& more", MONDAY)
    bot.command("admin report --comments", user="UADMIN", response_url=slack.url + "/respond/report")
    report = json.dumps(slack.wait_for("/respond/report")[0].params)
    assert "> &lt;!channel&gt; loved it\\n> &amp; more" in report  # quoted, line by line

    bot.command("my-data", user="U2")
    deadline = time.monotonic() + 10  # the export comes in as many messages as it needs
    while not exported(slack, "U2").endswith("}") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "free money&gt; &amp;" in exported(slack, "U2")
    assert slack.invalid == []


def exported(slack, user: str) -> str:
    """The my-data export as its messages carry it: each message's code block, joined."""
    texts = [
        b["text"]["text"] for m in slack.messages.get(user, []) for b in m["blocks"] if b["type"] == "section"
    ]
    return "".join(t.split("```")[1] for t in texts if "```" in t)
