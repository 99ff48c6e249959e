"""``mentorbot demo``: the whole product on this machine, no Slack account needed."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(run_demo)


def run_demo(
    members: Annotated[int, typer.Option(min=4, max=500, help="Members in the simulated workspace")] = 60,
    db: Annotated[Path, typer.Option(help="SQLite file for the demo (replaced each run)")] = Path(
        "mentorbot-demo.db"
    ),
    out: Annotated[Path, typer.Option(help="Where to write the report chart")] = Path("."),
    seed: Annotated[int, typer.Option(help="Seed for the simulated members")] = 7,
    program_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="pairs: automatic pairing; shortlist: mentees choose, mentors accept; circles: peer circles",
        ),
    ] = "pairs",
    dashboard: Annotated[
        bool, typer.Option("--dashboard", help="Then keep serving the admin dashboard on 127.0.0.1")
    ] = False,
) -> None:
    """Simulate a workspace signing up through the real app, run a weekly round, show the results."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    from bot.devtools import demo
    from bot.rendering.report import report_lines
    from bot.services.program import FORMATS

    if program_format not in FORMATS:
        raise typer.BadParameter(f"pick one of {', '.join(FORMATS)}", param_hint="--format")
    console = Console()
    started = time.perf_counter()
    console.rule("mentorbot demo")
    console.print(
        f"A fake Slack Web API and the real Bolt app start on loopback; {members} simulated members "
        "type [bold]/mentor profile[/] and submit the form.",
        highlight=False,
    )
    with console.status("starting…") as status:
        result = demo.run(db, out, members, seed, lambda step: status.update(step), program_format)
    names = result.names | {demo.ADMIN: "Program Admin"}

    def readable(text: str) -> str:
        """Slack's markup as a terminal shows it: names for mentions, the label of a link, a
        date's fallback text."""
        text = re.sub(r"<@(\w+)>", lambda m: "@" + names.get(m.group(1), m.group(1)), text)
        return re.sub(r"<(?:https?://|!date\^)[^|>]*\|([^>]*)>", r"\1", text).replace("*", "")

    rounds = [o for _, o in result.tick.rounds if o.created]
    outcome = rounds[0]
    if outcome.pairs:
        pairs = Table(title=f"Round {outcome.period}: {len(outcome.pairs)} new pairs", show_lines=True)
        for col in ("mentor", "mentee", "score", "why"):
            pairs.add_column(col)
        for p in outcome.pairs:
            pairs.add_row(p.mentor_name, p.mentee_name, f"{p.score:.2f}", "\n".join(map(str, p.reasons)))
        console.print(pairs)
    if result.shortlist:
        console.print(
            Panel(
                readable(demo.blocks_as_text(result.shortlist["blocks"])),
                title="A mentee's shortlist, as they get it by DM (each mentor has an Ask button)",
            )
        )
    if result.accepted:
        mentee, mentor = (names.get(u, u) for u in result.accepted)
        console.print(f"{mentee} pressed Ask on {mentor}; {mentor} pressed Accept.", highlight=False)
    if result.intro:
        title = "as the pair sees it" if program_format != "circles" else "as the circle sees it"
        if result.chinese and f"<@{result.chinese}>" in json.dumps(result.intro):
            title += f": {names[result.chinese]} reads Slack in Chinese (zh-CN), so it is in both languages"
        console.print(
            Panel(readable(demo.blocks_as_text(result.intro["blocks"])), title=f"The introduction, {title}")
        )
    if outcome.unmatched:
        left = Table(
            title=f"{len(outcome.unmatched)} without a mentor this round (each gets a DM saying why)"
        )
        left.add_column("member")
        left.add_column("why")
        for member, reason in outcome.unmatched.items():
            left.add_row(names.get(member, member), str(reason))
        console.print(left)

    delivery = result.tick.delivery
    report = "\n".join(readable(line) for line in report_lines(result.report))
    gaps = "\n".join(f"• {g}" for g in result.report.gaps()) or "• supply covers demand"
    console.print(
        Panel(
            f"{report}\n\nSkills to recruit mentors for:\n{gaps}",
            title="The admin report (also posted to #mentoring-admins as the weekly digest)",
        )
    )
    console.print(f"Messages delivered through the outbox: {delivery.sent} sent, {delivery.failed} failed.")
    console.print(f"Report chart written to [bold]{result.chart_path.resolve()}[/]", highlight=False)
    console.print(
        f"Database: {db.resolve()} · finished in {time.perf_counter() - started:.1f} s",
        style="dim",
        highlight=False,
    )
    if dashboard and result.at is not None:
        with demo.dashboard(db, result.at) as url:
            console.print(
                f"The admin dashboard: [bold]{url}[/] (signed in with the fake Slack as the program "
                "admin). Ctrl-C to stop.",
                highlight=False,
            )
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                console.print("Stopped.")
