"""``mentorbot report``: the admin report from the shell, with CSV and PNG exports."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated

import typer

from bot.clock import utcnow


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    team: Annotated[str | None, typer.Option(help="Workspace (team id); default: every workspace")] = None,
    weeks: Annotated[int, typer.Option(min=1, max=104, help="How far back")] = 12,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Write pairings and outcomes as CSV")] = None,
    png_file: Annotated[Path | None, typer.Option("--png", help="Write the chart as PNG")] = None,
    comments: Annotated[bool, typer.Option("--comments", help="Include private feedback comments")] = False,
) -> None:
    """Print how the program is doing; optionally write the CSV export and the chart."""
    from sqlmodel import Session, select

    from bot.config import Settings
    from bot.rendering import chart
    from bot.rendering.report import modes_table, report_lines
    from bot.services import exports, reports
    from bot.storage.db import ensure_schema, make_engine
    from bot.storage.models import Workspace

    engine = make_engine(Settings.from_env().database_url)
    ensure_schema(engine)
    now = utcnow()
    with Session(engine) as session:
        teams = [team] if team else list(session.exec(select(Workspace.team_id)).all())
        for team_id in teams:
            figures = reports.build(session, team_id, now, weeks, include_comments=comments)
            typer.echo(f"== {team_id}, last {weeks} weeks")
            for line in report_lines(figures):
                typer.echo(html.unescape(re.sub(r"\*", "", line)))
            if len(figures.modes) > 1:
                typer.echo(modes_table(figures.modes))
            for gap in figures.gaps():
                typer.echo(f"gap: {gap}")
            suffix = "" if len(teams) == 1 else f"-{team_id}"
            if csv_file:
                path = csv_file.with_stem(csv_file.stem + suffix) if suffix else csv_file
                path.write_text(exports.pairings_csv(session, team_id, include_comments=comments))
                typer.echo(f"wrote {path}")
            if png_file:
                path = png_file.with_stem(png_file.stem + suffix) if suffix else png_file
                path.write_bytes(chart.png(figures))
                typer.echo(f"wrote {path}")
