"""The demo: a simulated workspace signs up through the real app, then a round runs.

Nothing is mocked inside the app: members type ``/mentor profile`` and submit the
modal as signed HTTP requests to the production WSGI app, which talks to a fake
Slack Web API on loopback; the round runs through the worker's own ``tick``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from bot.app import build_app
from bot.catalog import default_catalog
from bot.clock import SetClock, utcnow
from bot.config import Settings
from bot.delivery.pacing import Pacer
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.signed_http import SECRET, BotServer, button_press, view_submission
from bot.domain import Report
from bot.jobs.worker import TickReport, tick
from bot.rendering import chart
from bot.rendering.profile_modal import GOAL_PRIORITIES, NO_TARGET, OTHER_ROLE, SKILLS, STRENGTH_LEVELS
from bot.rendering.shortlist_messages import ASK_PREFIX
from bot.services import program, reports
from bot.services.rounds import scheduled_time
from bot.storage.db import ensure_schema, make_engine, transaction
from bot.storage.models import ProgramSettings
from bot.web import with_dashboard, wsgi_app
from matching import Member, match
from matching.synthetic import random_workspace

TEAM = "TDEMO"
ADMIN = "UADMIN"
ADMIN_CHANNEL = "CADMINS"


@dataclass
class DemoResult:
    members: list[Member]
    tick: TickReport
    report: Report
    chart_path: Path
    intro: dict[str, Any] | None  # the first group DM: a pair's introduction, or a circle's
    names: dict[str, str]
    shortlist: dict[str, Any] | None = None  # "shortlist" format: a mentee's list, as they got it
    accepted: tuple[str, str] | None = None  # ... and the (mentee, mentor) whose request was accepted
    at: datetime | None = None  # the demo's clock when it ended (the dashboard shows that moment)
    chinese: str | None = None  # the member whose Slack is in Chinese (zh-CN); ``intro`` is theirs


def modal_values(member: Member) -> dict[str, Any]:
    """What this member would pick in the profile modal, as Slack's view state."""
    ids = {s.name: s.id for s in default_catalog().skills}
    roles = set(default_catalog().roles)
    levels = [lv for lv, _ in STRENGTH_LEVELS]

    def multi(chosen: list[str]) -> dict[str, Any]:
        return {SKILLS: {"type": "multi_static_select", "selected_options": [{"value": v} for v in chosen]}}

    def single(value: str) -> dict[str, Any]:
        return {"value": {"type": "static_select", "selected_option": {"value": value}}}

    values: dict[str, Any] = {
        "role": single(member.role if member.role in roles else OTHER_ROLE),
        "seniority": single(member.seniority.label),
        "target_role": single(member.target_role or NO_TARGET),
        "team": {"value": {"type": "plain_text_input", "value": member.team}},
        "mentor_capacity": single(str(min(member.mentor_capacity, 5))),
        "flags": {
            "value": {
                "type": "checkboxes",
                "selected_options": [{"value": "open_to_contact"}]
                + ([{"value": "wants_mentor"}] if member.wants_mentor else []),
            }
        },
    }
    for level in levels:  # the modal's lowest level stands for anything below it too
        values[f"strength_{level}"] = multi(
            [ids[s] for s, lv in member.strengths.items() if max(lv, levels[-1]) == level]
        )
    for priority, _ in GOAL_PRIORITIES:
        values[f"goal_{priority}"] = multi([ids[s] for s, p in member.goals.items() if p == priority])
    return values


@contextmanager
def running_app(engine: Engine, clock: SetClock) -> Iterator[tuple[FakeSlack, BotServer]]:
    with FakeSlack() as slack:
        settings = Settings(
            slack_api_url=slack.api_url, slack_signing_secret=SECRET, slack_bot_token="xoxb-demo"
        )
        with BotServer(wsgi_app(build_app(settings, engine, clock=clock), engine)) as bot:
            yield slack, bot


def run(
    db_path: Path,
    out_dir: Path,
    members: int = 60,
    seed: int = 7,
    progress: Callable[[str], None] = lambda _: None,
    program_format: str = "pairs",
) -> DemoResult:
    """Sign the members up, run one round in ``program_format``; for "shortlist", the first listed
    mentee then asks their best fit and the mentor accepts, with the real buttons."""
    db_path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db_path}")
    ensure_schema(engine)
    people = random_workspace(members, default_catalog().names(), seed=seed)
    clock = SetClock(utcnow())  # members sign up now; the round runs at its scheduled time
    # One mentee reads Slack in Chinese: everything they get is in Chinese, and their intro to
    # an English-speaking mentor is in both languages, theirs first. It is one the engine pairs
    # on these profiles (the round itself runs on what the members then submit).
    chinese = next((p.mentee for p in match(people, at=clock()).pairs), None)
    with running_app(engine, clock) as (slack, bot):
        slack.add_user(ADMIN, "Program Admin", admin=True, team_id=TEAM)
        for k, member in enumerate(people, start=1):
            progress(f"{member.name} signs up ({k}/{len(people)})")
            locale = "zh-CN" if member.id == chinese else "en-US"
            slack.add_user(member.id, member.name, member.timezone, team_id=TEAM, locale=locale)
            bot.command("profile", user=member.id, team=TEAM)
            slack.wait_for("views.open", k)
            saved = bot.interaction(view_submission(modal_values(member), user=member.id, team=TEAM))
            if saved.json().get("response_action") != "update":
                raise RuntimeError(f"{member.name}'s profile was refused: {saved.text}")
            if member.paused:
                bot.command("pause", user=member.id, team=TEAM)

        progress("the admin points the digest at #mentoring-admins")
        with transaction(engine) as session:
            current = program.current_form(program.load(session, TEAM, clock()))
            change = replace(current, admin_channel=ADMIN_CHANNEL, format=program_format)
            program.update(session, TEAM, ADMIN, change, clock())

        progress("the weekly round runs (worker) and the intros go out")
        with Session(engine) as session:
            settings = session.get(ProgramSettings, TEAM)
            assert settings is not None
            when = scheduled_time(settings, clock()) + timedelta(minutes=1)
        clock.at = when
        client = WebClient(token="xoxb-demo", base_url=slack.api_url)
        pacer = Pacer(scale=1000)
        outcome = tick(engine, lambda _t: client, when, pacer_for=lambda _t: pacer)
        lists = [m for c, msgs in slack.messages.items() if c.startswith("D") for m in msgs if ask_buttons(m)]
        accepted = None
        if lists:
            mentee = next(c for c, msgs in slack.messages.items() if lists[0] in msgs)[1:]
            action_id, option, mentor = ask_buttons(lists[0])[0]
            progress("a mentee asks their best fit, who accepts")
            bot.interaction(button_press(action_id, option, mentee, TEAM, slack.url + "/respond/ask"))
            slack.wait_for("/respond/ask")
            tick(engine, lambda _t: client, when, pacer_for=lambda _t: pacer)  # the request, sent just now
            accept = next(
                block["elements"][0]
                for msg in slack.messages["D" + mentor]
                for block in msg.get("blocks") or []
                if block.get("block_id") == "mentor_request"
            )
            bot.interaction(
                button_press(
                    accept["action_id"], accept["value"], mentor, TEAM, slack.url + "/respond/accept"
                )
            )
            slack.wait_for("/respond/accept")
            tick(engine, lambda _t: client, when, pacer_for=lambda _t: pacer)
            accepted = (mentee, mentor)

        progress("the admin reads the report")
        with Session(engine) as session:
            report = reports.build(session, TEAM, when)
        out_dir.mkdir(parents=True, exist_ok=True)
        chart_path = out_dir / "mentorbot-demo-report.png"
        chart_path.write_bytes(chart.png(report))
        groups = [(c, m) for c, msgs in slack.messages.items() if c.startswith("G") for m in msgs]
        intros = [m for c, m in groups if chinese in c.split("-")] + [m for _c, m in groups]
    return DemoResult(
        people,
        outcome,
        report,
        chart_path,
        intros[0] if intros else None,
        {m.id: m.name for m in people},
        lists[0] if lists else None,
        accepted,
        clock(),
        chinese,
    )


@contextmanager
def dashboard(db_path: Path, at: datetime) -> Iterator[str]:
    """The admin dashboard on the demo's database, on 127.0.0.1, with the fake Slack standing in
    for Sign in with Slack (signed in as the demo's program admin); yields its URL."""
    engine = make_engine(f"sqlite:///{db_path}")
    with FakeSlack() as slack:
        slack.add_user(ADMIN, "Program Admin", admin=True, team_id=TEAM)
        slack.signed_in = (ADMIN, TEAM)
        client_id, client_secret = slack.oidc_client
        settings = Settings(
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            slack_bot_token="xoxb-demo",
            slack_client_id=client_id,
            slack_client_secret=client_secret,
            slack_openid_authorize_url=slack.authorize_url,
        )
        with BotServer(with_dashboard(settings, engine, SetClock(at))) as server:
            yield server.url + "/admin/"
    engine.dispose()


def ask_buttons(message: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(action id, option id, mentor) of each Ask button of a shortlist message."""
    found = []
    for block in message.get("blocks") or []:
        button = block.get("accessory") or {}
        if str(button.get("action_id", "")).startswith(ASK_PREFIX):
            mentor = block["text"]["text"].split("<@", 1)[1].split(">", 1)[0]
            found.append((button["action_id"], button["value"], mentor))
    return found


def blocks_as_text(blocks: list[dict[str, Any]]) -> str:
    """A message's blocks as plain lines, roughly as Slack shows them."""
    lines = []
    for block in blocks:
        if block.get("type") in ("header", "section"):
            lines.append(block["text"]["text"])
        elif block.get("type") == "context":
            lines.extend(e.get("text", "") for e in block.get("elements", []))
        elif block.get("type") == "divider":
            lines.append("─" * 40)
    return "\n".join(lines)
