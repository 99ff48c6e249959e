"""The "circles" format end to end: a round forms circles, each gets one group DM, the left-out
get a note, the report shows the circles beside the pairs, and forget-me takes a member out."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from bot.services import privacy, reports
from bot.storage.db import transaction
from bot.storage.models import LearningCircle, ProgramSettings, Round
from tests.bot.jobs.circles_seed import join
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, tick
from tests.factories import committed

SKILLS = ["sql", "python", "kaggle", "model-deployment"]


def test_a_circles_round_forms_announces_and_reports_circles(engine, slack):
    for k in range(4):  # four mid-level people, each teaching what the next wants
        join(engine, f"u{k}", "mid", SKILLS[k], SKILLS[(k + 1) % 4])
    join(engine, "far", "staff", "sql", "python", tz="Pacific/Auckland")  # no one at their stage
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.format, settings.admin_channel = "circles", None

    tick(engine, client_for(slack), now=MONDAY)

    with Session(engine) as s:
        (circle,) = s.exec(select(LearningCircle)).all()
        rnd = s.exec(select(Round)).one()
    assert sorted(circle.members) == ["u0", "u1", "u2", "u3"]
    assert {k: rnd.stats[k] for k in ("format", "circles", "placed", "unplaced")} == {
        "format": "circles",
        "circles": 1,
        "placed": 4,
        "unplaced": ["far"],
    }
    (group,) = [msgs for channel, msgs in slack.messages.items() if channel.startswith("G")]
    text = json.dumps(group[0]["blocks"])
    assert "Your peer learning circle" in text and "<@u0> can teach *sql*" in text
    assert "<@u0> on sql" in text  # the rotation: each presents what someone else wants
    assert "no circle for you this round" in slack.messages["Dfar"][0]["text"]

    with Session(engine) as s:
        latest = reports.build(s, TEAM, now=MONDAY).latest
    assert (latest.format, latest.circles, latest.pairs, latest.unmatched) == ("circles", 1, 4, 1)

    committed(engine, privacy.forget, TEAM, "u2")
    with Session(engine) as s:
        (circle,) = s.exec(select(LearningCircle)).all()
    assert "u2" not in circle.members and all(step[0] != "u2" for step in circle.rotation)
