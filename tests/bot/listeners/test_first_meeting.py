"""A first meeting one click away: the intro offers slots, the first "works for me" sets the
meeting and tells the pair, the check-in waits for it, and "None of these work" offers more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from bot.jobs.worker import run_round
from bot.storage.db import transaction
from bot.storage.models import LearningCircle, Outbox, Pairing, ProgramSettings, as_utc
from tests.bot.jobs.circles_seed import join
from tests.bot.jobs.conftest import client_for, deliver, seed
from tests.bot.listeners.conftest import click
from tests.moments import MONDAY

TEAM = "T1"
SKILLS = ["sql", "python", "kaggle", "model-deployment"]


def posted(slack, key: str) -> dict:
    """The message the outbox sent with this dedupe key."""
    for call in slack.of("chat.postMessage"):
        if (call.params.get("metadata") or {}).get("event_payload", {}).get("key") == key:
            return call.params
    raise AssertionError(f"nothing posted with key {key}")


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def press(harness, action_id: str, value: str, user: str, url: str) -> str:
    payload = click(action_id, user=user, response_url=harness.slack.url + url)
    payload["actions"][0]["value"] = value
    harness.bot.interaction(payload)
    return harness.slack.wait_for(url)[0].params["text"]


def test_pick_a_slot_then_the_pair_is_told_and_the_check_in_waits(harness):
    engine, slack = harness.engine, harness.slack
    seed(engine, mentors=1, mentees=1)  # London and Berlin: 9:00-16:00 UTC in common
    run_round(engine, TEAM, MONDAY)
    deliver(engine, client_for(slack), lambda: MONDAY)
    with Session(engine) as s:
        pairing = s.exec(select(Pairing)).one()
    intro = posted(slack, f"intro:{pairing.id}")

    # Tuesday to Thursday, each at the middle of the shared hours; each reader sees their own zone.
    offered = [datetime(2026, 11, d, 12, tzinfo=UTC) for d in (24, 25, 26)]
    text = str(intro["blocks"])
    for at in offered:
        assert f"<!date^{int(at.timestamp())}^" in text
    assert text.count("calendar.google.com/calendar/render?action=TEMPLATE") == 3
    assert text.count("outlook.office.com/calendar/0/deeplink/compose?") == 3
    assert "dates=20261126T120000Z%2F20261126T123000Z" in text  # 30 minutes, in UTC
    values = [b["value"] for b in buttons(intro)]
    assert values == [f"{pairing.id}:{int(at.timestamp())}" for at in offered] + [str(pairing.id)]

    harness.clock.at = MONDAY + timedelta(hours=1)
    thursday = values[2]
    assert "isn't one I offered" in press(
        harness, "meeting_pick_1", f"{pairing.id}:1", pairing.mentee_id, "/r/a"
    )
    assert "isn't for a pairing" in press(harness, "meeting_pick_1", thursday, "UOUTSIDER", "/r/b")
    assert "Done" in press(harness, "meeting_pick_1", thursday, pairing.mentee_id, "/r/c")
    assert "already set" in press(harness, "meeting_pick_1", values[0], pairing.mentor_id, "/r/d")

    with Session(engine) as s:
        assert as_utc(s.get(Pairing, pairing.id).meeting_at) == offered[2]
        checkin = s.exec(select(Outbox).where(Outbox.dedupe_key == f"checkin:{pairing.id}")).one()
    # The usual check-in day (Friday) already comes after Thursday's meeting: it stays.
    assert as_utc(checkin.send_after) == MONDAY + timedelta(days=4)
    deliver(engine, client_for(slack), lambda: MONDAY + timedelta(hours=1))
    told = posted(slack, f"meeting:{pairing.id}")
    assert f"<@{pairing.mentee_id}> picked <!date^{int(offered[2].timestamp())}^" in told["text"]
    assert told["channel"] == intro["channel"]  # the pair's conversation


def test_none_of_these_work_offers_the_next_slots_to_both(harness):
    engine, slack = harness.engine, harness.slack
    seed(engine, mentors=1, mentees=1)
    run_round(engine, TEAM, MONDAY)
    with Session(engine) as s:
        pairing = s.exec(select(Pairing)).one()
    harness.clock.at = MONDAY + timedelta(hours=2)
    assert "posted more times" in press(harness, "meeting_none", str(pairing.id), pairing.mentor_id, "/r/n")
    deliver(engine, client_for(slack), lambda: MONDAY + timedelta(hours=2))
    more = posted(slack, f"moreslots:{pairing.id}:6")
    # After Thursday's: Friday, then Monday and Tuesday (the weekend skipped).
    later = [
        datetime(2026, 11, 27, 12, tzinfo=UTC),
        datetime(2026, 11, 30, 12, tzinfo=UTC),
        datetime(2026, 12, 1, 12, tzinfo=UTC),
    ]
    assert [b["value"] for b in buttons(more)][:3] == [f"{pairing.id}:{int(at.timestamp())}" for at in later]
    assert "said none of those times work" in str(more["blocks"])
    with Session(engine) as s:
        assert len(s.get(Pairing, pairing.id).slots) == 6

    harness.clock.at = later[0] + timedelta(hours=1)  # too late for Friday's
    value = f"{pairing.id}:{int(later[0].timestamp())}"
    assert "has passed" in press(harness, "meeting_pick_1", value, pairing.mentee_id, "/r/p")
    value = f"{pairing.id}:{int(later[1].timestamp())}"
    assert "Done" in press(harness, "meeting_pick_1", value, pairing.mentee_id, "/r/q")
    with Session(engine) as s:
        checkin = s.exec(select(Outbox).where(Outbox.dedupe_key == f"checkin:{pairing.id}")).one()
    # "Did you meet?" waits until Monday's meeting is over (it was due on Friday).
    assert as_utc(checkin.send_after) == later[1] + timedelta(minutes=30) + timedelta(hours=2)


def test_a_circle_picks_its_first_meeting_and_every_members_check_in_waits(harness):
    engine, slack = harness.engine, harness.slack
    for k, zone in enumerate(("Europe/London", "Europe/Madrid", "America/New_York", "Europe/Dublin")):
        join(engine, f"u{k}", "mid", SKILLS[k], SKILLS[(k + 1) % 4], tz=zone)
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.format, settings.admin_channel, settings.checkin_days = "circles", None, 1
    run_round(engine, TEAM, MONDAY)
    deliver(engine, client_for(slack), lambda: MONDAY)
    with Session(engine) as s:
        circle = s.exec(select(LearningCircle)).one()
    intro = posted(slack, f"circle:{circle.id}")
    values = [b["value"] for b in buttons(intro)]
    # New York's working day meets the others' from 14:00 to 16:00 UTC (Madrid's ends at 16:00).
    picks = [datetime.fromtimestamp(int(v.split(":")[1]), UTC) for v in values[:-1]]
    assert [(p.hour, p.minute) for p in picks] == [(14, 30)] * 3 and values[-1] == f"c{circle.id}"

    harness.clock.at = MONDAY + timedelta(hours=1)
    assert "Done" in press(harness, "meeting_pick_1", values[2], circle.members[0], "/r/c")
    meeting_end = picks[2] + timedelta(minutes=30)
    with Session(engine) as s:
        waits = [
            as_utc(o.send_after) for o in s.exec(select(Outbox).where(Outbox.kind == "circle_checkin")).all()
        ]
    # Due on Tuesday, each member's check-in now waits for Thursday's meeting to be over.
    assert waits == [meeting_end + timedelta(hours=2)] * len(circle.members)
