"""A round held for the admins' review: nothing reaches members until it is published; removals and
swaps re-solve the rest and keep every hard constraint; an unreviewed round expires as configured."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from sqlmodel import Session, select

from bot.storage.db import transaction
from bot.storage.models import AuditLog, Member, Outbox, Pairing, ProgramSettings, Round
from matching import match
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, deliver, seed, tick
from tests.bot.listeners.conftest import click

ADMIN = "UADMIN"


def held(engine, expiry: str = "publish") -> None:
    seed(engine, mentors=3, mentees=3)
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.review_before_publish, settings.review_expiry = True, expiry


def member_messages(engine) -> list[Outbox]:
    with Session(engine) as s:
        return [o for o in s.exec(select(Outbox)) if o.kind not in ("review",)]


def proposed(engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(Pairing).where(Pairing.status == "proposed").order_by(Pairing.id)).all()
        return [(p.mentor_id, p.mentee_id) for p in rows]


def feasible(engine) -> set[tuple[str, str]]:
    """Every pair the engine allows now, from the same profiles the round uses."""
    from bot.services.match_inputs import round_profiles

    with Session(engine) as s:
        profiles, _ = round_profiles(s, TEAM, "2026-W48")
    return {(a, b) for a, b, _ in match(profiles, at=MONDAY).candidates()}


def test_review_edit_and_publish(harness):
    engine, slack, bot = harness.engine, harness.slack, harness.bot
    held(engine)
    slack.add_user(ADMIN, "Admin", admin=True)
    report = tick(engine, client_for(slack), now=MONDAY)
    assert report.rounds[0][1].pending

    # Only the proposal went out, to the admin channel; members have heard nothing.
    (review_post,) = slack.messages["CADMIN"]
    assert "Proposed pairs for review: 3" in json.dumps(review_post["blocks"])
    assert member_messages(engine) == []
    assert [m for c, msgs in slack.messages.items() if c != "CADMIN" for m in msgs] == []
    first = proposed(engine)
    assert len(first) == 3

    # A member who isn't an admin can't touch it.
    with Session(engine) as s:
        pairing_id = s.exec(select(Pairing.id).where(Pairing.status == "proposed")).first()
    payload = click("review_remove", user="UE000", response_url=slack.url + "/respond/no")
    payload["actions"][0]["value"] = str(pairing_id)
    bot.interaction(payload)
    assert "Only program admins" in slack.wait_for("/respond/no")[0].params["text"]
    assert proposed(engine) == first

    # Remove pair 1: that pair is gone and the round is re-solved around the removal (its mentor
    # and mentee find other partners), and the new proposal replaces the message.
    payload = click("review_remove", user=ADMIN, response_url=slack.url + "/respond/rm")
    payload["actions"][0]["value"] = str(pairing_id)
    bot.interaction(payload)
    shown = json.dumps(slack.wait_for("/respond/rm")[0].params)
    assert "Proposed pairs for review: 3" in shown and "Removed" in shown
    after_remove = proposed(engine)
    assert first[0] not in after_remove and len(after_remove) == 3

    # Swap the mentees of pairs 1 and 2: both new pairs are proposed, and feasible.
    (a_mentor, a_mentee), (b_mentor, b_mentee), _ = after_remove
    bot.command("admin swap 1 2", user=ADMIN, response_url=slack.url + "/respond/swap")
    assert "Proposed pairs for review: 3" in json.dumps(slack.wait_for("/respond/swap")[0].params)
    swapped = set(proposed(engine))
    assert {(a_mentor, b_mentee), (b_mentor, a_mentee)} <= swapped and len(swapped) == 3
    assert swapped <= feasible(engine)
    assert first[0] not in swapped  # the removal still holds

    # Publish: intros go out for exactly the reviewed pairs, and the round is done.
    bot.interaction(
        {
            **click("review_publish", user=ADMIN, response_url=slack.url + "/respond/pub"),
            "actions": [
                {"action_id": "review_publish", "type": "button", "value": str(report.rounds[0][1].round_id)}
            ],
        }
    )
    assert "Published: 3 pairs" in slack.wait_for("/respond/pub")[0].params["text"]
    deliver(engine, client_for(slack), harness.clock)  # published at the app's clock
    with Session(engine) as s:
        rnd = s.exec(select(Round)).one()
        active = {
            (p.mentor_id, p.mentee_id) for p in s.exec(select(Pairing).where(Pairing.status == "active"))
        }
        kinds = Counter(o.kind for o in s.exec(select(Outbox)) if o.status == "sent")
        audit = [a.action for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
    assert rnd.status == "done" and active == swapped
    assert kinds["intro"] == 3 and kinds["unmatched"] == 0
    assert [a for a in audit if a.startswith("review.")] == ["review.remove", "review.swap", "review.publish"]
    bot.command("admin swap 1 2", user=ADMIN, response_url=slack.url + "/respond/late")
    assert "no round waiting for review" in slack.wait_for("/respond/late")[0].params["text"]


def test_a_swap_that_breaks_a_hard_constraint_is_refused_and_changes_nothing(harness):
    engine, slack, bot = harness.engine, harness.slack, harness.bot
    held(engine)
    slack.add_user(ADMIN, "Admin", admin=True)
    with transaction(engine) as s:
        s.get(ProgramSettings, TEAM).allow_same_team = False
    tick(engine, client_for(slack), now=MONDAY)
    (m1, _), (_, e2) = proposed(engine)[:2]
    with transaction(engine) as s:  # pair 1's mentor joins pair 2's mentee's team
        s.get(Member, (TEAM, m1)).team = s.get(Member, (TEAM, e2)).team
    before = proposed(engine)
    bot.command("admin swap 1 2", user=ADMIN, response_url=slack.url + "/respond/x")
    answer = slack.wait_for("/respond/x")[0].params["text"]
    assert "can't make that swap" in answer and "'s team" in answer
    assert proposed(engine) == before
    assert "Usage" in bot.command("admin swap 1", user=ADMIN).json()["text"]
    bot.command("admin swap 1 9", user=ADMIN, response_url=slack.url + "/respond/y")
    assert "between 1 and 3" in slack.wait_for("/respond/y")[0].params["text"]


def test_an_unreviewed_round_is_published_or_dropped_when_its_time_is_up(harness):
    engine, slack = harness.engine, harness.slack
    held(engine, expiry="drop")
    tick(engine, client_for(slack), now=MONDAY)
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=23))
    with Session(engine) as s:
        assert s.exec(select(Round)).one().status == "pending"
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=25))
    with Session(engine) as s:
        assert s.exec(select(Round)).one().status == "dropped"
        assert s.exec(select(Pairing)).all() == []
    assert member_messages(engine) == []

    with transaction(engine) as s:
        s.get(ProgramSettings, TEAM).review_expiry = "publish"
    week2 = MONDAY + timedelta(weeks=1)
    tick(engine, client_for(slack), now=week2)
    tick(engine, client_for(slack), now=week2 + timedelta(hours=25))
    with Session(engine) as s:
        latest = s.exec(select(Round).where(Round.period == "2026-W49")).one()
        assert latest.status == "done"
        assert len(s.exec(select(Pairing).where(Pairing.status == "active")).all()) == 3
        assert ("mentorbot", "review.publish") in [(a.actor_id, a.action) for a in s.exec(select(AuditLog))]


def test_when_the_admin_channel_fails_the_review_goes_to_the_admins_and_waits_for_them(harness):
    engine, slack = harness.engine, harness.slack
    held(engine, expiry="publish")
    slack.add_channel("CADMIN", bot_member=False)  # the bot was never invited
    tick(engine, client_for(slack), now=MONDAY)
    with Session(engine) as s:
        review_post = s.exec(select(Outbox).where(Outbox.kind == "review")).one()
    assert (review_post.status, review_post.last_error) == ("failed", "not_in_channel")
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=30))
    with Session(engine) as s:  # nobody has seen it: it does not expire
        assert s.exec(select(Round)).one().status == "pending"

    # An admin is named; the next failure (here, the digest's) and this one reach them by DM.
    with transaction(engine) as s:
        s.get(ProgramSettings, TEAM).admins = [ADMIN]
        s.get(Outbox, review_post.id).status = "pending"  # as an admin's "retry" would
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=31))
    (dm,) = slack.messages["D" + ADMIN]
    assert "couldn't post this in <#CADMIN>" in json.dumps(dm)
    assert "Proposed pairs for review" in json.dumps(dm) and "review time counts from now" in json.dumps(dm)
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=31 + 23))
    with Session(engine) as s:  # its review time runs from when it reached the admin
        assert s.exec(select(Round)).one().status == "pending"
    tick(engine, client_for(slack), now=MONDAY + timedelta(hours=31 + 25))
    with Session(engine) as s:
        assert s.exec(select(Round)).one().status == "done"
