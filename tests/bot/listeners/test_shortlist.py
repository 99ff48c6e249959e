"""The shortlist format through the Slack app: lists that respect capacity, ask, decline, accept, expire."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.devtools.demo import ask_buttons as options_in
from bot.jobs.worker import expire_requests, run_round
from bot.services import privacy
from bot.storage.db import transaction
from bot.storage.models import (
    Avoid,
    MentorRequest,
    Outbox,
    Pairing,
    ProgramSettings,
    Round,
    ShortlistOption,
)
from tests.bot.jobs.conftest import MONDAY, TEAM, client_for, deliver, seed
from tests.bot.listeners.conftest import click
from tests.factories import committed


def shortlist_format(engine, request_days: int = 3) -> None:
    with transaction(engine) as s:
        settings = s.get(ProgramSettings, TEAM)
        settings.format, settings.request_days, settings.admin_channel = "shortlist", request_days, None


class Members:
    """Clicks and reads DMs as members, through the real Bolt endpoint and the fake Slack."""

    def __init__(self, harness) -> None:
        self.bot, self.slack, self.engine, self.clock = (
            harness.bot,
            harness.slack,
            harness.engine,
            harness.clock,
        )
        self.clicks = 0

    def deliver(self, at: datetime | None = None) -> None:
        deliver(self.engine, client_for(self.slack), now=lambda: at or self.clock())

    def dms(self, user: str) -> list[dict]:
        return self.slack.messages.get("D" + user, [])

    def press(self, user: str, action_id: str, value: str) -> dict:
        """Press a button; what came back on the response URL (replacement or ephemeral)."""
        self.clicks += 1
        url = f"/respond/{self.clicks}"
        payload = click(action_id, user=user, response_url=self.slack.url + url)
        payload["actions"][0]["value"] = value
        self.bot.interaction(payload)
        return self.slack.wait_for(url)[0].params

    def ask(self, mentee: str, mentor: str, message: dict | None = None) -> dict:
        message = message or self.dms(mentee)[-1]
        (action_id, value) = next((a, v) for a, v, m in options_in(message) if m == mentor)
        return self.press(mentee, action_id, value)

    def request_to(self, mentor: str) -> str:
        """The request id on the mentor's latest Accept / Decline message."""
        blocks = self.dms(mentor)[-1]["blocks"]
        return next(b for b in blocks if b.get("block_id") == "mentor_request")["elements"][0]["value"]


def test_lists_respect_capacity_across_mentees_and_the_full_request_cycle(harness):
    people = Members(harness)
    engine = harness.engine
    seed(engine, mentors=3, mentees=4)  # three one-slot mentors, four mentees: three get lists
    shortlist_format(engine)

    outcome = run_round(engine, TEAM, MONDAY)
    people.deliver()
    with Session(engine) as s:
        options = s.exec(select(ShortlistOption)).all()
        rnd = s.exec(select(Round)).one()
    assert (rnd.format, rnd.stats["shortlisted"], len(outcome.pairs)) == ("shortlist", 3, 0)
    for rank in (1, 2, 3):  # each rank's options fit every mentor's one free slot
        assert max(Counter(o.mentor_id for o in options if o.rank == rank).values()) == 1
    listed = sorted({o.mentee_id for o in options})
    (left_out,) = {"UE000", "UE001", "UE002", "UE003"} - set(listed)
    assert "No mentor for you this round" in people.dms(left_out)[0]["text"]
    a, b, c = listed
    first = {m: next(o.mentor_id for o in options if o.mentee_id == m and o.rank == 1) for m in listed}
    lists = {m: options_in(people.dms(m)[0]) for m in listed}
    assert all(len(opts) == 3 for opts in lists.values())
    assert "your best fit" in str(people.dms(a)[0]["blocks"])

    # A asks their best fit: the list loses its buttons, the mentor gets Accept / Decline.
    asked = people.ask(a, first[a])
    assert asked["replace_original"] and options_in(asked) == []
    assert f"You asked <@{first[a]}>" in str(asked["blocks"])
    people.deliver()
    request_a = people.request_to(first[a])
    assert f"<@{a}> would like you as their mentor" in str(people.dms(first[a])[-1]["blocks"])
    assert f"You asked <@{first[a]}> to mentor you" in str(people.bot.command("status", user=a).json())
    assert f"<@{a}> asked you to mentor them" in str(people.bot.command("status", user=first[a]).json())

    # One request at a time, and a held slot can't be asked for by anyone else.
    assert "one request at a time" in people.ask(a, first[b], people.dms(a)[0])["text"]
    assert "spoken for" in people.ask(b, first[a])["text"]
    assert "isn't one of yours" in people.press(first[b], "request_accept", request_a)["text"]

    # The mentor declines: A hears only that, with who else can still take them (not the decliner).
    assert "You declined" in people.press(first[a], "request_decline", request_a)["text"]
    people.deliver()
    next_best = people.dms(a)[-1]
    assert f"<@{first[a]}> can't take on a mentee right now" in next_best["blocks"][1]["text"]["text"]
    assert first[a] not in [m for _, _, m in options_in(next_best)]
    assert "You've already declined" in people.press(first[a], "request_accept", request_a)["text"]

    # B asks their best fit, who accepts: a pairing with the intro and a check-in.
    people.ask(b, first[b])
    people.deliver()
    assert "You accepted" in people.press(first[b], "request_accept", people.request_to(first[b]))["text"]
    people.deliver()
    with Session(engine) as s:
        (pairing,) = s.exec(select(Pairing)).all()
        assert s.exec(select(MentorRequest).where(MentorRequest.status == "accepted")).one().pairing_id == (
            pairing.id
        )
    assert (pairing.mentor_id, pairing.mentee_id, pairing.status) == (first[b], b, "active")
    (intro,) = harness.slack.messages["G" + "-".join(sorted([first[b], b]))]  # their group DM
    assert pairing.reasons and "Meet your mentoring match" in intro["text"]
    with Session(engine) as s:  # and the check-in, due in a few days
        assert s.exec(select(Outbox).where(Outbox.dedupe_key == f"checkin:{pairing.id}")).one()
    assert "have a mentor already" in people.ask(b, first[c], people.dms(b)[0])["text"]

    # C asks; nobody answers in time: the request expires and C is offered the next best.
    people.ask(c, first[c])
    people.deliver()
    request_c = people.request_to(first[c])
    assert expire_requests(engine, harness.clock() + timedelta(days=2)) == 0
    later = harness.clock() + timedelta(days=3, minutes=1)
    assert expire_requests(engine, later) == 1
    people.deliver(later)
    assert "didn't answer within 3 days" in people.dms(c)[-1]["text"] + str(people.dms(c)[-1]["blocks"])
    assert "This request has expired" in people.dms(first[c])[-1]["text"]  # the mentor is told too
    assert "has expired" in people.press(first[c], "request_accept", request_c)["text"]
    with Session(engine) as s:
        statuses = Counter(r.status for r in s.exec(select(MentorRequest)))
    assert statuses == Counter(declined=1, accepted=1, expired=1)

    # Next round: lists from the last round can't be used any more.
    second = run_round(engine, TEAM, MONDAY + timedelta(weeks=1))
    people.deliver()
    with Session(engine) as s:
        relisted = sorted(
            {
                o.mentee_id
                for o in s.exec(select(ShortlistOption).where(ShortlistOption.round_id == second.round_id))
            }
        )
    assert b not in relisted  # B has a mentor now
    again = next(m for m in relisted if m in listed)
    stale = people.dms(again)[0]
    assert "earlier round" in people.ask(again, options_in(stale)[0][2], stale)["text"]


def test_a_never_pair_list_keeps_a_mentor_off_the_shortlist_and_out_of_reach(harness):
    people = Members(harness)
    engine = harness.engine
    seed(engine, mentors=3, mentees=1)
    shortlist_format(engine)
    with transaction(engine) as s:  # the mentee's private list names one mentor
        s.add(Avoid(team_id=TEAM, user_id="UE000", other_id="UM001"))
    run_round(engine, TEAM, MONDAY)
    people.deliver()
    offered = [m for _, _, m in options_in(people.dms("UE000")[0])]
    assert sorted(offered) == ["UM000", "UM002"]

    with transaction(engine) as s:  # the mentor adds the mentee to theirs after the lists went out
        s.add(Avoid(team_id=TEAM, user_id="UM000", other_id="UE000"))
    refused = people.ask("UE000", "UM000")
    assert "isn't available to you this round" in refused["text"] and "never" not in refused["text"]
    with Session(engine) as s:
        assert s.exec(select(MentorRequest)).all() == []


def test_forget_me_removes_lists_and_requests_on_both_sides(harness):
    people = Members(harness)
    engine = harness.engine
    seed(engine, mentors=1, mentees=1)
    shortlist_format(engine)
    run_round(engine, TEAM, MONDAY)
    people.deliver()
    people.ask("UE000", "UM000")
    with Session(engine) as s:
        assert "mentor_requests" in privacy.export(s, TEAM, "UM000")
        assert len(privacy.export(s, TEAM, "UE000")["mentor_requests"]) == 1
    committed(engine, privacy.forget, TEAM, "UM000")
    with Session(engine) as s:
        assert s.exec(select(MentorRequest)).all() == [] and s.exec(select(ShortlistOption)).all() == []
