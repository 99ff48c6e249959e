"""First-meeting slots: inside everyone's working day, off everyone's weekend, across DST switches."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services import slots


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def in_working_day(start: datetime, zone: str) -> bool:
    local = start.astimezone(ZoneInfo(zone))
    end = (start + slots.FIRST_MEETING).astimezone(ZoneInfo(zone))
    return local.hour >= 9 and (end.hour, end.minute) <= (17, 0) and local.isoweekday() <= 5


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # The US moves its clocks on 14 March 2027, the UK on 28 March: between the two, London
        # and New York share four working hours (13:00-17:00 UTC), before it three (14:00-17:00).
        (utc(2027, 3, 11, 12), [utc(2027, 3, 12, 15), utc(2027, 3, 15, 14, 30), utc(2027, 3, 16, 14, 30)]),
        # The UK moves back on 31 October 2027, the US on 7 November: four hours again after the
        # UK's switch (13:00-17:00 UTC), three before it (13:00-16:00 UTC).
        (utc(2027, 10, 28, 12), [utc(2027, 10, 29, 14), utc(2027, 11, 1, 14, 30), utc(2027, 11, 2, 14, 30)]),
    ],
)
def test_slots_follow_each_daylight_saving_switch(after, expected):
    """Each slot is the middle of that day's shared hours, as the clocks stand on that day."""
    found, why = slots.propose(("Europe/London", "America/New_York"), after)
    assert (list(found), why) == (expected, "")
    assert all(in_working_day(s, z) for s in found for z in ("Europe/London", "America/New_York"))


def test_slots_skip_each_persons_weekend():
    """Jerusalem rests on Friday and Saturday, London on Saturday and Sunday: after Thursday, the
    next slot is on Monday."""
    found, _ = slots.propose(("Asia/Jerusalem", "Europe/London"), utc(2027, 1, 6, 12), count=3)
    days = [s.astimezone(ZoneInfo("Asia/Jerusalem")).isoweekday() for s in found]
    assert days == [4, 1, 2]  # Thursday 7 January, then Monday and Tuesday: Friday to Sunday skipped
    assert slots.weekend("Asia/Jerusalem") == {5, 6} and slots.weekend("Europe/Paris") == {6, 7}


def test_across_the_date_line_each_persons_own_weekend_is_skipped():
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) are a day apart: Kiritimati's Monday morning is
    Pago Pago's Sunday, and Pago Pago's Friday is Kiritimati's Saturday. Both are inside their
    working hours; neither is offered."""
    zones = ("Pacific/Kiritimati", "Pacific/Pago_Pago")
    found, _ = slots.propose(zones, utc(2027, 1, 6, 12), count=10)
    weekdays = [tuple(s.astimezone(ZoneInfo(z)).isoweekday() for z in zones) for s in found]
    assert weekdays and all(k <= 5 and p <= 5 for k, p in weekdays)
    assert {k for k, _ in weekdays} == {2, 3, 4, 5}  # Kiritimati's Tuesday to Friday only
    assert all(in_working_day(s, z) for s in found for z in zones)


def test_working_days_that_never_meet_give_no_slot_and_say_so():
    """Tokyo's 9:00-17:00 is 0:00-8:00 UTC, New York's 14:00-22:00 UTC (Los Angeles would meet
    Tokyo for an hour)."""
    found, why = slots.propose(("Asia/Tokyo", "America/New_York"), utc(2027, 1, 6, 12))
    assert found == () and why == slots.NO_OVERLAP
    assert slots.propose(("Asia/Tokyo", "America/Los_Angeles"), utc(2027, 1, 6, 12))[0]


def test_a_first_meeting_names_its_subject_and_starts_after_some_notice():
    after = utc(2027, 1, 4, 16)  # a Monday, 16:00 UTC
    meeting = slots.first_meeting("41", ["Europe/Berlin", "Europe/Lisbon"], after)
    assert meeting.subject == "41" and len(meeting.slots) == 3
    assert meeting.slots[0] - after >= slots.NOTICE
    assert len({s.date() for s in meeting.slots}) == 3  # one a day


ZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Kathmandu",  # UTC+5:45
    "Asia/Kolkata",  # UTC+5:30
    "Australia/Lord_Howe",  # moves its clocks by half an hour
    "Pacific/Chatham",  # UTC+12:45, with daylight saving
    "America/St_Johns",  # UTC-3:30, with daylight saving
    "Asia/Jerusalem",
    "Asia/Tehran",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Sydney",
    "America/Santiago",
    "Africa/Cairo",
)


def every_half_hour(zones: tuple[str, ...], after: datetime, count: int) -> tuple[datetime, ...]:
    """The definition, checked the slow way: every half hour of the horizon, in every zone."""
    start = (after + slots.NOTICE).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start += timedelta(hours=1)
    days: dict[object, list[datetime]] = {}
    at = start
    while at < start + slots.HORIZON:
        local = [at.astimezone(ZoneInfo(z)) for z in zones]
        if all(
            (t.hour, t.minute) >= (9, 0)
            and (t + slots.FIRST_MEETING).time() <= time(17)
            and (t + slots.FIRST_MEETING).date() == t.date()
            and t.isoweekday() not in slots.weekend(z)
            for t, z in zip(local, zones, strict=True)
        ):
            days.setdefault(local[0].date(), []).append(at)
        at += slots.STEP
    return tuple(starts[(len(starts) - 1) // 2] for starts in list(days.values())[:count])


@settings(max_examples=60, deadline=None)
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=4, unique=True),
    after=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    count=st.integers(1, 4),
)
def test_the_fast_way_finds_exactly_the_slots_the_definition_gives(zones, after, count):
    """Slots come from each zone's working windows per day (a few conversions per zone); the
    result must equal checking every half hour of the horizon in every zone."""
    ordered = tuple(sorted(zones))
    assert slots.propose(ordered, after, count)[0] == every_half_hour(ordered, after, count)
