"""The one place the wall clock is read.

Only entry points call :func:`utcnow`: a listener once per request (``bot.app``'s
middleware puts it in the context), the worker once per tick, a CLI command once per
run. Everything below them takes ``now`` as an argument, so a test fixes the time
by passing it, and nothing changes behaviour with the date it runs on.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


class SetClock:
    """A clock that reads what it was last set to: the demo and the tests run the app at the
    moments they choose (a round's time, a week later) by setting it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at
