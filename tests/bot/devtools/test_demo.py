"""The demo runs the real sign-up, round and report path and shows what happened."""

from __future__ import annotations

import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli.app import app
from bot.devtools import demo
from bot.storage.db import make_engine
from bot.storage.models import Member, Pairing, Round


@pytest.fixture(scope="module")
def pairs_demo(tmp_path_factory) -> tuple[Path, demo.DemoResult]:
    """One run of the pairs demo (30 members), shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("demo")
    return folder / "demo.db", demo.run(folder / "demo.db", folder, members=30, seed=3)


def test_demo_signs_up_pairs_introduces_and_reports(pairs_demo):
    db, result = pairs_demo
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        stored = s.exec(select(Member)).all()
        assert len(stored) == 30  # every simulated member went through the modal
        assert all(m.name for m in stored) and {m.timezone for m in stored} != {"UTC"}
        assert len(s.exec(select(Round)).all()) == 1
        pairings = s.exec(select(Pairing)).all()
    ((_, outcome),) = result.tick.rounds
    assert outcome.created and len(pairings) == len(outcome.pairs) > 0
    assert result.tick.delivery.failed == 0
    assert result.tick.delivery.sent == len(outcome.pairs) + len(outcome.unmatched) + 1  # + the digest
    assert result.report.members == 30 and result.chart_path.read_bytes()[:4] == b"\x89PNG"
    # The intro shown is the Chinese-reading mentee's: in Chinese first, then in English.
    intro = demo.blocks_as_text(result.intro["blocks"])
    assert f"<@{result.chinese}>" in intro
    assert 0 <= intro.index("为什么是你们俩") < intro.index("Why you two")
    with Session(engine) as s:
        assert s.get(Member, (demo.TEAM, result.chinese)).slack_locale == "zh-CN"


def test_demo_command_prints_the_story(tmp_path):
    out = CliRunner().invoke(
        app, ["demo", "--members", "20", "--db", str(tmp_path / "d.db"), "--out", str(tmp_path)]
    )
    assert out.exit_code == 0, out.output
    for part in (
        "new pairs",
        "The introduction, as the pair sees it",
        "认识一下你的导师配对",
        "The admin report",
        "Report chart written to",
    ):
        assert part in out.output


def test_demo_of_the_shortlist_format_asks_and_accepts_through_the_buttons(tmp_path):
    result = demo.run(tmp_path / "demo.db", tmp_path, members=30, seed=3, program_format="shortlist")
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    with Session(engine) as s:
        (pairing,) = s.exec(select(Pairing)).all()  # the one request the demo's mentee made
    assert result.accepted == (pairing.mentee_id, pairing.mentor_id)
    assert "Choose your mentor" in demo.blocks_as_text(result.shortlist["blocks"])
    assert "Why you two" in demo.blocks_as_text(result.intro["blocks"])


def test_demo_command_refuses_an_unknown_format(tmp_path):
    out = CliRunner().invoke(app, ["demo", "--format", "speed-dating", "--db", str(tmp_path / "d.db")])
    assert out.exit_code != 0 and "pick one of pairs, shortlist, circles" in out.output


def test_every_simulated_member_of_every_accepted_size_passes_the_profile_form():
    """`mentorbot demo --members N` accepts 4 to 500: each of those workspaces signs up whole."""
    from bot.catalog import default_catalog
    from bot.rendering.profile_modal import parse_submission
    from bot.services.profiles import validate
    from matching.synthetic import random_workspace

    catalog = {s.id for s in default_catalog().skills}
    wanting_without_goals = 0
    for n in (4, 30, 60, 100, 200, 333, 500):
        for member in random_workspace(n, default_catalog().names(), seed=7):
            validate(parse_submission(demo.modal_values(member)), catalog)  # raises if refused
            wanting_without_goals += member.wants_mentor and not member.goals
    assert wanting_without_goals == 0


def test_demo_dashboard_signs_the_demo_admin_in_through_the_fake_slack(pairs_demo):
    """``mentorbot demo --dashboard``: one click on Sign in with Slack, and the overview shows the
    demo's program (a real HTTP client keeping the session cookie across the redirects)."""
    db, result = pairs_demo
    with demo.dashboard(db, result.at) as url:
        assert url.startswith("http://127.0.0.1:")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with browser.open(url + "login", timeout=10) as page:  # -> the fake Slack -> back, signed in
            html = page.read().decode()
    assert "<h1>Overview</h1>" in html and "Program Admin" in html
    assert f'<span class="value">{result.report.members}</span><span class="label">participants' in html
