"""First-meeting times a new pair or circle can pick with one click.

A slot is a half hour inside *everyone's* working day (9:00-17:00 local), on a day that is
not anyone's weekend, in the days after the introduction. Every candidate instant is
converted to each person's zone with the zone database, so a daylight-saving switch
between today and the slot moves the slot with it (London and New York share three working
hours most of the year, four in the weeks between the two countries' switches).

Pure functions: no database, no Slack. ``propose`` is cached per set of zones and start,
because a big round introduces thousands of pairs from a few hundred zone combinations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain import FIRST_MEETING, FirstMeeting
from bot.i18n import N_

#: Candidate starts are on this grid (UTC), which every zone's offset is a multiple of but a few.
STEP = timedelta(minutes=30)
#: How far ahead slots are looked for: the next working week, with room for weekends and holidays.
HORIZON = timedelta(days=14)
#: The earliest slot is at least this far ahead: nobody is asked to meet within the hour.
NOTICE = timedelta(hours=18)
#: Slots offered at a time.
OFFERED = 3
WORKDAY = (9, 17)
#: Zones whose weekend is Friday and Saturday (ISO weekdays 5 and 6); everyone else: Saturday
#: and Sunday. Afghanistan and Iran rest on Thursday and Friday.
WEEKENDS: dict[str, frozenset[int]] = {
    **dict.fromkeys(
        (
            "Asia/Jerusalem",
            "Asia/Tel_Aviv",
            "Asia/Riyadh",
            "Asia/Kuwait",
            "Asia/Qatar",
            "Asia/Bahrain",
            "Asia/Muscat",
            "Asia/Baghdad",
            "Asia/Amman",
            "Asia/Damascus",
            "Asia/Aden",
            "Asia/Dhaka",
            "Africa/Cairo",
            "Africa/Algiers",
            "Africa/Tripoli",
            "Africa/Khartoum",
        ),
        frozenset({5, 6}),
    ),
    "Asia/Kabul": frozenset({4, 5}),
    "Asia/Tehran": frozenset({4, 5}),
}
SAT_SUN = frozenset({6, 7})
#: Why there is no slot. With a five-day week everywhere, people whose working hours meet at
#: all share at least three working days, so a weekend alone never rules every slot out.
NO_OVERLAP = N_("your working days (9:00-17:00 local, on your working weekdays) don't overlap")


def weekend(zone: str) -> frozenset[int]:
    """ISO weekdays that are the weekend in ``zone``."""
    return WEEKENDS.get(zone, SAT_SUN)


def first_meeting(subject: str, zones: Iterable[str], after: datetime, count: int = OFFERED) -> FirstMeeting:
    """Up to ``count`` slots for the pair or circle ``subject`` (see :func:`propose`)."""
    slots, why = propose(tuple(zones), after, count)
    return FirstMeeting(subject, slots, why)


def propose(
    zones: tuple[str, ...], after: datetime, count: int = OFFERED
) -> tuple[tuple[datetime, ...], str]:
    """Up to ``count`` slots from ``NOTICE`` after ``after`` (aware), one per day, for people in
    ``zones``, earliest first (aware UTC starts); with none, why, in the members' words.

    Each is the start nearest the middle of that day's shared working hours, so no one is
    asked to meet at the edge of their day. O(days x 48 x zones), cached.
    """
    start = (after + NOTICE).astimezone(UTC)
    start = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return _propose(tuple(sorted(set(zones))), start, count)


@lru_cache(maxsize=4096)
def _propose(zones: tuple[str, ...], start: datetime, count: int) -> tuple[tuple[datetime, ...], str]:
    end = start + HORIZON
    shared = _starts(zones[0], start, end)
    for zone in zones[1:]:
        shared = _overlap(shared, _starts(zone, start, end))
    first = ZoneInfo(zones[0])
    days: dict[object, list[datetime]] = {}
    for low, high in shared:  # the grid's points inside each shared window
        at = start + -(-(max(low, start) - start) // STEP) * STEP
        while at <= high and at < end:
            days.setdefault(at.astimezone(first).date(), []).append(at)
            at += STEP
    chosen = tuple(starts[(len(starts) - 1) // 2] for starts in list(days.values())[:count])
    return chosen, "" if chosen else NO_OVERLAP


def _starts(zone: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """When a first meeting may start for someone in ``zone``: per working day of theirs around
    ``start``..``end``, from 9:00 to 30 minutes before 17:00 local, as UTC instants. Each day's
    bounds go through the zone database (clocks change at night, never inside a working day)."""
    tz = ZoneInfo(zone)
    begin, finish = WORKDAY
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    windows = []
    while day <= last:
        if day.isoweekday() not in weekend(zone):
            low = datetime.combine(day, time(begin), tz).astimezone(UTC)
            high = datetime.combine(day, time(finish), tz).astimezone(UTC) - FIRST_MEETING
            windows.append((low, high))
        day += timedelta(days=1)
    return windows


def _overlap(
    a: list[tuple[datetime, datetime]], b: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The instants in both lists of (earliest, latest) windows, each list in time order."""
    both, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low <= high:
            both.append((low, high))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return both
