"""Keep under Slack's per-method rate limits instead of bouncing off them.

Slack limits each Web API method per workspace (``conversations.open`` is Tier 3,
about 50 a minute) and ``chat.postMessage`` to about one message a second per
channel. The outbox asks the pacer before each call, so a big round's intros go
out as fast as the limits allow and no faster; a 429 that still happens is
honoured by the client's Retry-After handler.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

#: (calls per minute, burst) per method, from Slack's documented tiers; a burst of
#: calls may go at once, then they are spaced at the rate.
LIMITS: Mapping[str, tuple[float, int]] = {
    "conversations.open": (50, 5),  # Tier 3
    # Apps not listed in the Slack Marketplace: 1 a minute, 15 messages a page (since 2025).
    "conversations.history": (1, 1),
    "chat.postMessage": (60, 3),  # per channel: about one a second, short bursts tolerated
}


class Pacer:
    """A token bucket per key (a method, or ``chat.postMessage`` and a channel).

    Implemented as GCRA: each key keeps the theoretical time its next call is due;
    a call may run early by up to ``burst - 1`` intervals. ``scale`` speeds every
    limit up by one factor (benchmarks against a fake Slack that enforces the same
    scaled limits); production uses 1. ``headroom`` keeps the pace a little under
    the limit, so network jitter doesn't push a call over it. Thread-safe.
    """

    def __init__(
        self,
        limits: Mapping[str, tuple[float, int]] = LIMITS,
        scale: float = 1.0,
        headroom: float = 0.95,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limits = {m: (60.0 / (rate * scale * headroom), burst) for m, (rate, burst) in limits.items()}
        self._due: dict[str, float] = {}
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()

    def _key(self, method: str, channel: str | None) -> str:
        return f"{method}:{channel}" if channel and method == "chat.postMessage" else method

    def ready_in(self, method: str, channel: str | None = None) -> float:
        """Seconds until a call of ``method`` could go without waiting (0: now)."""
        interval, burst = self._limits.get(method, (0.0, 1))
        with self._lock:
            now = self._clock()
            due = max(self._due.get(self._key(method, channel), now), now)
            return max(0.0, due - (burst - 1) * interval - now)

    def hold(self, method: str, channel: str | None, seconds: float) -> None:
        """Slack said to wait (429 Retry-After): no call of ``method`` goes for ``seconds``."""
        interval, burst = self._limits.get(method, (0.0, 1))
        key = self._key(method, channel)
        with self._lock:
            now = self._clock()
            self._due[key] = max(self._due.get(key, now), now + seconds + (burst - 1) * interval)

    def wait(self, method: str, channel: str | None = None) -> None:
        """Block until a call of ``method`` (to ``channel``) may go, and count it."""
        interval, burst = self._limits.get(method, (0.0, 1))
        key = self._key(method, channel)
        with self._lock:
            now = self._clock()
            if key not in self._due and method not in self._limits:
                return  # unlimited, and Slack never said to wait
            due = max(self._due.get(key, now), now)
            start = due - (burst - 1) * interval
            self._due[key] = due + interval
        if start > now:
            self._sleep(start - now)
