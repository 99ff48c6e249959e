"""The weekly digest: after each round, the figures and the chart go to the admin channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot import notify
from bot.delivery import outbox
from bot.domain import RoundStatus
from bot.rendering import chart
from bot.rendering.report import digest_message
from bot.services import profiles, reports
from bot.slack_files import upload
from bot.storage.db import transaction
from bot.storage.models import Outbox, ProgramSettings, Round

log = logging.getLogger("mentorbot.digest")
DIGEST_WEEKS = 12
#: A round whose digest is still unpublished this long after it finished (wall clock) is left alone.
CATCH_UP = timedelta(days=6)


def publish_pending(engine: Engine, client_for: Callable[[str], WebClient], now: datetime) -> list[int]:
    """Publish the digest of every recent round that doesn't have one yet; the round ids.

    Runs on every worker pass rather than right after the round, so a worker that
    dies between storing a round and queueing its digest leaves it to the next pass.
    Each round is marked once published, and each step is idempotent on its own.
    """
    with Session(engine) as session:
        rounds = session.exec(
            select(Round).where(
                col(Round.status) == RoundStatus.done, col(Round.finished_at) >= now - CATCH_UP
            )
        ).all()
        pending = [
            (r.id, r.team_id) for r in rounds if r.id is not None and not (r.stats or {}).get("digest")
        ]
    for round_id, team_id in pending:
        assert round_id is not None
        if queue_digest(engine, team_id, round_id, now):
            try:
                upload_chart(engine, client_for(team_id), team_id, round_id, now)
            except LookupError:
                log.warning("workspace %s: app not installed; digest chart skipped", team_id)
        _mark(engine, round_id, "digest")
    return [round_id for round_id, _ in pending]


def _mark(engine: Engine, round_id: int, flag: str) -> None:
    with transaction(engine) as session:
        rnd = session.get(Round, round_id)
        assert rnd is not None
        rnd.stats = {**(rnd.stats or {}), flag: True}
        session.add(rnd)


def queue_digest(engine: Engine, team_id: str, round_id: int, now: datetime) -> bool:
    """Queue the round's digest once (its outbox key is unique); False if there is no admin channel."""
    with transaction(engine) as session:
        settings = session.get(ProgramSettings, team_id)
        if settings is None or not settings.admin_channel:
            return False
        report = reports.build(session, team_id, now, DIGEST_WEEKS)
        languages = notify.languages_of(
            settings.admins, profiles.languages(session, team_id, settings.admins)
        )
        key = f"digest:{round_id}"
        if (
            session.exec(select(Outbox.id).where(Outbox.team_id == team_id, Outbox.dedupe_key == key)).first()
            is None
        ):
            outbox.queue(
                session,
                team_id,
                key,
                "digest",
                [],
                notify.in_languages(lambda: digest_message(report), languages),
                now,
                channel=settings.admin_channel,
            )
        return True


def upload_chart(engine: Engine, client: WebClient, team_id: str, round_id: int, now: datetime) -> bool:
    """Upload the round's chart to the admin channel, once (remembered on the round)."""
    with Session(engine) as session:
        rnd = session.get(Round, round_id)
        settings = session.get(ProgramSettings, team_id)
        if rnd is None or settings is None or not settings.admin_channel or (rnd.stats or {}).get("chart"):
            return False
        png = chart.png(reports.build(session, team_id, now, DIGEST_WEEKS))
    try:
        upload(client, settings.admin_channel, png, f"mentorbot-{rnd.period}.png", f"Round {rnd.period}")
    except SlackApiError as exc:
        log.warning("digest chart for %s not uploaded: %s", team_id, exc.response.get("error"))
        return False
    _mark(engine, round_id, "chart")
    return True
