"""The pacer: a burst, then calls spaced at the documented rate, per method and per channel."""

from __future__ import annotations

import pytest

from bot.delivery.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_burst_then_steady_rate():
    clock = Clock()
    pacer = Pacer({"conversations.open": (60, 3)}, headroom=1.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(6):
        pacer.wait("conversations.open")
        starts.append(clock.now)
    assert starts == pytest.approx([0, 0, 0, 1, 2, 3])


def test_channels_are_paced_apart_and_unknown_methods_not_at_all():
    clock = Clock()
    pacer = Pacer({"chat.postMessage": (60, 1)}, headroom=1.0, clock=clock, sleep=clock.sleep)
    for channel in ("C1", "C2", "C3"):
        pacer.wait("chat.postMessage", channel)
    assert clock.now == 0
    pacer.wait("chat.postMessage", "C1")
    assert clock.now == pytest.approx(1)
    pacer.wait("users.info")
    assert clock.now == pytest.approx(1)


def test_scale_speeds_every_limit_up_by_one_factor():
    clock = Clock()
    pacer = Pacer({"conversations.open": (50, 1)}, scale=100, headroom=1.0, clock=clock, sleep=clock.sleep)
    for _ in range(11):
        pacer.wait("conversations.open")
    assert clock.now == pytest.approx(10 * 60 / 50 / 100)


def test_history_lookups_are_paced_in_their_own_bucket_at_one_a_minute():
    clock = Clock()
    pacer = Pacer(headroom=1.0, clock=clock, sleep=clock.sleep)  # Slack's documented limits
    assert pacer.ready_in("conversations.history") == 0
    pacer.wait("conversations.history")
    pacer.wait("conversations.open")  # another method's bucket: no wait
    assert clock.now == 0
    assert pacer.ready_in("conversations.history") == pytest.approx(60)
    pacer.wait("conversations.history")
    assert clock.now == pytest.approx(60)


def test_a_retry_after_holds_that_bucket_even_for_an_unpaced_method():
    clock = Clock()
    pacer = Pacer({"chat.postMessage": (60, 3)}, headroom=1.0, clock=clock, sleep=clock.sleep)
    pacer.hold("chat.postMessage", "C1", 5)
    pacer.hold("users.info", None, 2)
    assert pacer.ready_in("chat.postMessage", "C1") == pytest.approx(5)
    assert pacer.ready_in("chat.postMessage", "C2") == 0  # only the channel Slack named
    pacer.wait("users.info")
    assert clock.now == pytest.approx(2)
    pacer.wait("chat.postMessage", "C1")
    assert clock.now == pytest.approx(5)
