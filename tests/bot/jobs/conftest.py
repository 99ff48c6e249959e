from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.delivery import outbox
from bot.delivery.pacing import Pacer
from bot.devtools.fake_slack import FakeSlack
from bot.jobs import worker
from bot.storage.db import transaction
from bot.storage.models import ProgramSettings
from tests import moments
from tests.factories import join, mentee_form, mentor_form

TEAM = "T1"

MONDAY = moments.MONDAY


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def client_for(slack: FakeSlack):
    client = WebClient(
        token="xoxb-test",
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )
    return lambda _team: client


#: How much faster than Slack's limits delivery paces itself in tests: the fake Slack enforces
#: no limits unless a test asks it to, and the production pace spends seconds waiting per test.
TEST_PACE = 100


def fast_pacers() -> Callable[[str], Pacer]:
    """team -> its pacer, ``TEST_PACE`` times faster than Slack's limits."""
    pacers: dict[str, Pacer] = {}
    return lambda team: pacers.setdefault(team, Pacer(scale=TEST_PACE))


def deliver(engine, client_for, now, **options: Any) -> outbox.DeliveryReport:
    """``outbox.deliver`` with fast pacers, unless the test brings its own."""
    options.setdefault("pacer_for", fast_pacers())
    return outbox.deliver(engine, client_for, now, **options)


def tick(engine, client_for, now, **options: Any) -> worker.TickReport:
    """The worker's ``tick`` with fast pacers for its delivery, unless the test brings its own."""
    options.setdefault("pacer_for", fast_pacers())
    return worker.tick(engine, client_for, now, **options)


def seed(
    engine, mentors: int, mentees: int, skill: str = "sql", admin_channel: str | None = "CADMIN"
) -> None:
    """``mentors`` seniors who teach ``skill`` and ``mentees`` juniors who want it."""
    for k in range(mentors):
        form = mentor_form({skill: 5}, team=f"team {k}", target_role="")
        join(engine, TEAM, f"UM{k:03d}", form, name=f"Mentor {k}", timezone="Europe/London")
    for k in range(mentees):
        form = mentee_form({skill: 3}, team=f"team x{k}", target_role="data engineer")
        join(engine, TEAM, f"UE{k:03d}", form, name=f"Mentee {k}", timezone="Europe/Berlin")
    with transaction(engine) as session:
        settings = session.get(ProgramSettings, TEAM)
        settings.admin_channel = admin_channel
        session.add(settings)
