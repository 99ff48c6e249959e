"""A member's private "never pair me with" list: kept from the profile modal, a hard constraint both
ways, seen by them alone (modal, my-data), and never revealed to the other person or to admins."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.devtools.signed_http import view_submission
from bot.jobs.worker import run_round
from bot.services import privacy, profiles, reports, review
from bot.services.pairings import review_rows
from bot.storage.db import transaction
from bot.storage.models import Avoid, ProgramSettings
from matching import InfeasiblePair
from tests.bot.jobs.conftest import MONDAY, TEAM, seed
from tests.bot.listeners.conftest import MENTOR_PROFILE, state
from tests.factories import committed


def test_avoid_list_is_private_and_never_paired_either_way(harness):
    engine, slack, bot = harness.engine, harness.slack, harness.bot
    seed(engine, mentors=1, mentees=2)  # UM000 is the only mentor; both mentees fit them
    slack.add_user("UE000", "Mentee 0", "Europe/Berlin")

    # UE000 says, in the profile modal, never to be paired with UM000.
    bot.command("profile", user="UE000")
    modal = slack.wait_for("views.open")[-1].params["view"]
    assert any(b.get("block_id") == "avoid" for b in modal["blocks"])
    fields = dict(
        MENTOR_PROFILE, role="data analyst", seniority="junior", goal_3=["sql"], strength_5=[], strength_4=[]
    )
    fields["flags"] = ["wants_mentor"]
    values = state(**{k: v for k, v in fields.items() if k != "mentor_capacity"})
    values["avoid"] = {"value": {"type": "multi_users_select", "selected_users": ["UM000", "UE000"]}}
    assert bot.interaction(view_submission(values, user="UE000")).json()["response_action"] == "update"
    with Session(engine) as s:
        assert profiles.avoid_list(s, TEAM, "UE000") == ["UM000"]  # not themselves

    # The modal shows them their list; my-data includes it.
    bot.command("profile", user="UE000")
    again = slack.wait_for("views.open", 2)[-1].params["view"]
    (avoid,) = [b for b in again["blocks"] if b.get("block_id") == "avoid"]
    assert avoid["element"]["initial_users"] == ["UM000"]
    bot.command("my-data", user="UE000")
    assert "UM000" in json.dumps(slack.wait_for("chat.postMessage")[-1].params)

    # The round never pairs them, and what UE000 is told doesn't say who ruled whom out.
    outcome = run_round(engine, TEAM, MONDAY)
    assert [(p.mentor_id, p.mentee_id) for p in outcome.pairs] == [("UM000", "UE001")]
    assert "isn't available to you this round" in str(outcome.unmatched["UE000"])

    # Nothing shows it to the other person or to admins.
    with Session(engine) as s:
        theirs = privacy.export(s, TEAM, "UM000")
        assert theirs["never_pair_with"] == [] and "UE000" not in json.dumps(theirs)
        shown = json.dumps(reports.build(s, TEAM, now=MONDAY).__dict__, default=str)
    assert "UE000" not in shown and "avoid" not in shown.lower()

    # Forgetting UE000 removes their list.
    committed(engine, privacy.forget, TEAM, "UE000")
    with Session(engine) as s:
        assert s.exec(select(Avoid)).all() == []


def test_an_admin_cannot_force_a_pair_a_member_ruled_out_nor_learn_why(harness):
    engine = harness.engine
    seed(engine, mentors=2, mentees=2)
    with transaction(engine) as s:
        s.add(Avoid(team_id=TEAM, user_id="UM000", other_id="UE001"))
        settings = s.get(ProgramSettings, TEAM)
        settings.review_before_publish, settings.admin_channel = True, "CADMIN"
    run_round(engine, TEAM, MONDAY)
    with Session(engine) as s:
        rows = review_rows(s, TEAM, review.pending_round(s, TEAM))
    assert ("UM000", "UE001") not in {(r.pair.mentor_id, r.pair.mentee_id) for r in rows}
    # Swapping would make UM000 -> UE001: refused, without naming whose list it is.
    with pytest.raises(InfeasiblePair, match="aren't available as a pair"), transaction(engine) as s:
        review.swap(s, TEAM, 1, 2, "UADMIN", now=MONDAY)
