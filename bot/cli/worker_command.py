"""``mentorbot worker`` (schedule and outbox) and ``mentorbot pair --now`` (a round from the shell)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from bot.clock import utcnow

if TYPE_CHECKING:  # the engine's module loads only when a command runs
    from sqlalchemy import Engine

    from bot.config import Settings


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("pair")(pair)


def _setup(need: tuple[str, ...] = ()) -> tuple[Settings, Engine]:
    from bot.config import ConfigError, Settings
    from bot.storage.db import SchemaOutOfDate, ensure_schema, make_engine

    try:
        settings = Settings.from_env(need=need)
        engine = make_engine(settings.database_url)
        ensure_schema(engine)
    except (ConfigError, SchemaOutOfDate) as exc:
        typer.echo(f"mentorbot: {exc}", err=True)
        raise typer.Exit(1) from None
    return settings, engine


def worker(
    interval: Annotated[float, typer.Option(help="Seconds between passes")] = 30.0,
    once: Annotated[bool, typer.Option(help="One pass, then exit")] = False,
) -> None:
    """Run each workspace's round when it is due and deliver queued messages."""
    from bot.config import Settings
    from bot.delivery.pacing import Pacer
    from bot.jobs.worker import run_forever, tick
    from bot.slack_clients import client_factory

    settings, engine = _setup(need=Settings.from_env().required_for_worker())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    client_for = client_factory(settings, engine)
    lease = timedelta(seconds=settings.outbox_lease_seconds)
    pacers: dict[str, Pacer] = {}

    def pacer_for(team_id: str) -> Pacer:
        return pacers.setdefault(team_id, Pacer(scale=settings.slack_rate_scale))

    if once:
        report = tick(engine, client_for, utcnow(), clock=utcnow, lease=lease, pacer_for=pacer_for)
        d = report.delivery
        typer.echo(
            f"rounds run: {sum(o.created for _, o in report.rounds)}; "
            f"messages sent {d.sent}, failed {d.failed}, deferred {d.deferred}"
        )
        return
    run_forever(engine, client_for, interval, lease, pacer_for, utcnow)


def pair(
    now: Annotated[bool, typer.Option("--now", help="Run this period's round now")] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Show who would be paired and why; store and send nothing")
    ] = False,
    team: Annotated[str | None, typer.Option(help="Only this workspace (team id)")] = None,
) -> None:
    """Run (or preview) this period's round from the shell; the worker sends the intros."""
    from rich.console import Console
    from rich.table import Table
    from sqlmodel import Session, select

    from bot.jobs.worker import run_round
    from bot.storage.models import Workspace

    if not now:
        typer.echo("Add --now to run this period's round now (with --dry-run to preview it).", err=True)
        raise typer.Exit(2)
    _, engine = _setup()
    with Session(engine) as session:
        teams = [team] if team else list(session.exec(select(Workspace.team_id)).all())
    console = Console()
    at = utcnow()
    for team_id in teams:
        outcome = run_round(engine, team_id, at, dry_run=dry_run)
        if not dry_run and not outcome.created:
            console.print(f"{team_id}: the round for {outcome.period} has already run.")
            continue
        table = Table(
            title=f"{team_id} {outcome.period}: {len(outcome.pairs)} pairs"
            + (" (dry run: nothing stored or sent)" if dry_run else ""),
            show_lines=True,
        )
        for col in ("mentor", "mentee", "score", "why"):
            table.add_column(col)
        for p in outcome.pairs:
            table.add_row(p.mentor_name, p.mentee_name, f"{p.score:.3f}", "\n".join(map(str, p.reasons)))
        console.print(table)
        for member, reason in outcome.unmatched.items():
            console.print(f"  no mentor for {outcome.names.get(member, member)}: {reason}")
