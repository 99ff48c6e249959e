"""The moments tests run at. No test reads the wall clock: services get these, and the app under
test reads a :class:`bot.clock.SetClock` set to them, so the suite passes whatever today's date is."""

from __future__ import annotations

from datetime import UTC, datetime

#: A Monday, an hour after the default run time (Mondays 10:00 UTC).
MONDAY = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
