"""The heads-up before a round: sent once to who would take part; skip, pause and stop honoured."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from bot.jobs.worker import run_round
from bot.services import pairings
from bot.storage.db import transaction
from bot.storage.models import AuditLog, HeadsUp, Member, Outbox, ProgramSettings
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, seed, tick
from tests.bot.listeners.conftest import click

#: The round of 2026-W49 runs Monday 30 November at 10:00 UTC (the default schedule).
ROUND = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
PERIOD, NEXT = "2026-W49", "2026-W50"
DAY_BEFORE = ROUND - timedelta(hours=20)  # inside the default 24-hour heads-up window


def start(engine, mentors: int, mentees: int) -> None:
    """This week's round (2026-W48) already ran, before these members joined; W49's is next."""
    assert run_round(engine, TEAM, MONDAY).created
    seed(engine, mentors=mentors, mentees=mentees)


def headsups(slack) -> dict[str, dict]:
    """The heads-up DMs delivered, by recipient."""
    out = {}
    for channel, msgs in slack.messages.items():
        for m in msgs:
            if "Heads-up" in m.get("text", ""):
                out[channel.removeprefix("D")] = m
    return out


def answer(harness, user: str, choice: str, period: str = PERIOD) -> str:
    url = f"/respond/{user}-{choice}-{period}"
    payload = click(f"headsup_{choice}", user=user, response_url=harness.slack.url + url)
    payload["actions"][0]["value"] = period
    assert harness.bot.interaction(payload).status_code == 200
    return harness.slack.wait_for(url, timeout=40)[0].params["text"]


def test_heads_up_goes_once_to_those_taking_part_and_answers_shape_the_round(harness):
    engine, slack = harness.engine, harness.slack
    start(engine, 2, 3)
    with transaction(engine) as s:
        s.get(Member, (TEAM, "UE002")).heads_up = False  # turned off: no DM, still paired
    send = client_for(slack)

    tick(engine, send, now=ROUND - timedelta(hours=30))  # too early
    assert headsups(slack) == {}
    tick(engine, send, now=DAY_BEFORE)
    tick(engine, send, now=DAY_BEFORE + timedelta(hours=1))  # once per round, however many passes
    sent = headsups(slack)
    assert set(sent) == {"UM000", "UM001", "UE000", "UE001"}
    assert "asked to mentor (1 free slot)" in json.dumps(sent["UM000"])
    assert "matched with a mentor" in json.dumps(sent["UE000"])
    with Session(engine) as s:
        assert s.get(HeadsUp, (TEAM, PERIOD)).members == 4

    harness.clock.at = DAY_BEFORE + timedelta(hours=2)  # members answer the heads-up
    assert "sit out the round of 2026-W49" in answer(harness, "UE000", "skip")
    assert "Paused until" in answer(harness, "UM000", "pause_2")
    assert "in for the round" in answer(harness, "UE001", "in")

    outcome = run_round(engine, TEAM, ROUND + timedelta(hours=1))
    paired = {p.mentor_id for p in outcome.pairs} | {p.mentee_id for p in outcome.pairs}
    assert "UE000" not in paired and "UM000" not in paired
    assert "UE000" not in outcome.unmatched  # sitting out is not being left out
    assert {p.mentor_id for p in outcome.pairs} == {"UM001"}

    # After the round, a skip for it applies to the next one, and the member is told so.
    harness.clock.at = ROUND + timedelta(hours=2)
    late = answer(harness, "UE001", "skip")
    assert "already been paired" in late and NEXT in late
    with Session(engine) as s:
        assert s.get(Member, (TEAM, "UE001")).skip_period == NEXT
        actions = [(a.actor_id, a.action, a.detail) for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
    assert ("UE000", "headsup.skip", {"period": PERIOD, "late": False}) in actions
    assert ("UE001", "headsup.skip", {"period": NEXT, "late": True}) in actions
    assert ("UM000", "headsup.pause_2", {"period": PERIOD, "late": False}) in actions

    # The next week: the skip is over, the two-week pause isn't.
    nxt = run_round(engine, TEAM, ROUND + timedelta(weeks=1, hours=1))
    assert "UE000" in {p.mentee_id for p in nxt.pairs} | set(nxt.unmatched)
    assert "UM000" not in {p.mentor_id for p in nxt.pairs}


def test_heads_up_can_be_turned_off_and_on(harness):
    bot, engine = harness.bot, harness.engine
    start(engine, 1, 1)
    assert "Usage" in bot.command("heads-up maybe", user="UE000").json()["text"]
    assert "No more heads-ups" in bot.command("heads-up off", user="UE000").json()["text"]
    tick(engine, client_for(harness.slack), now=DAY_BEFORE)
    assert set(headsups(harness.slack)) == {"UM000"}
    assert "message you before each round" in bot.command("heads-up on", user="UE000").json()["text"]
    with Session(engine) as s:
        assert s.get(Member, (TEAM, "UE000")).heads_up
    assert "don't have a profile" in bot.command("heads-up on", user="UNOBODY").json()["text"]


def test_a_skip_arriving_while_the_round_is_computed_is_applied_to_the_next_round(harness, monkeypatch):
    """The skip waits for the round's lock; the round already counted the member in, so they are
    paired this week, told so, and skip the next round instead. Nothing is lost either way."""
    engine = harness.engine
    start(engine, 2, 2)
    inside, release = threading.Event(), threading.Event()
    announce = pairings.announce

    def slow_announce(*args, **kwargs):
        announce(*args, **kwargs)
        inside.set()
        release.wait(20)

    monkeypatch.setattr(pairings, "announce", slow_announce)
    harness.clock.at = ROUND + timedelta(hours=1)
    result = {}
    worker = threading.Thread(
        target=lambda: result.update(o=run_round(engine, TEAM, ROUND + timedelta(hours=1)))
    )
    worker.start()
    assert inside.wait(20)
    replies: list[str] = []
    clicker = threading.Thread(target=lambda: replies.append(answer(harness, "UE000", "skip")))
    clicker.start()
    clicker.join(1.0)
    assert clicker.is_alive(), "the skip must wait for the round"
    release.set()
    worker.join(20)
    clicker.join(40)
    assert "UE000" in {p.mentee_id for p in result["o"].pairs}
    assert "already been paired" in replies[0] and NEXT in replies[0]
    with Session(engine) as s:
        assert s.get(Member, (TEAM, "UE000")).skip_period == NEXT


def test_no_heads_up_when_the_program_turns_it_off(harness):
    engine = harness.engine
    start(engine, 1, 1)
    with transaction(engine) as s:
        s.get(ProgramSettings, TEAM).heads_up_hours = 0
    tick(engine, client_for(harness.slack), now=DAY_BEFORE)
    with Session(engine) as s:
        assert [o for o in s.exec(select(Outbox)) if o.kind == "headsup"] == []


def test_a_forged_heads_up_button_changes_nothing(harness):
    start(harness.engine, 1, 1)
    for action, value in (("headsup_skip", "'; drop table member"), ("headsup_dance", PERIOD)):
        url = f"/respond/forged-{action}"
        payload = click(action, user="UE000", response_url=harness.slack.url + url)
        payload["actions"][0]["value"] = value
        harness.bot.interaction(payload)
        assert "isn't one I sent" in harness.slack.wait_for(url)[0].params["text"]
    with Session(harness.engine) as s:
        member = s.get(Member, (TEAM, "UE000"))
        assert (member.skip_period, member.paused, member.heads_up) == (None, False, True)
