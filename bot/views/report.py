"""The admin report as a Slack message (and the text of the weekly digest)."""

from __future__ import annotations

from typing import Any

from bot.services.reports import Report
from bot.views.blocks import Block, context, header, message, section


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def report_lines(r: Report) -> list[str]:
    """The figures, one topic per line (also used for the digest and the CLI)."""
    lines = [
        f"*{r.members}* members: {r.mentors} mentors, {r.mentees} mentees ({r.both} both), "
        f"{r.paused} paused. Mentor places in use: {r.capacity_used} of {r.capacity}.",
    ]
    if r.latest:
        score = (
            ""
            if r.average_score is None
            else f" Average score {r.average_score:.2f}, lowest {r.lowest_score:.2f}."
        )
        lines.append(
            f"*Round {r.latest.period}:* {r.latest.pairs} new pairs, {r.latest.unmatched} without a mentor "
            f"(match rate {_pct(r.latest.match_rate)}).{score}"
        )
    else:
        lines.append("No rounds yet in this period.")
    satisfaction = "n/a" if r.satisfaction is None else f"{r.satisfaction:.1f}/5 from {r.ratings} ratings"
    lines.append(
        f"*Outcomes:* meeting rate {_pct(r.meeting_rate)} (check-ins), satisfaction {satisfaction}, "
        f"{r.ended_early} ended early, {r.delivery_failures} undelivered messages."
    )
    if r.circles:
        circles, placed, unplaced = r.circles
        lines.append(
            f"*Peer circles (latest):* {circles} circles, {placed} members placed, {unplaced} without one "
            f"(placement rate {_pct(placed / (placed + unplaced) if placed + unplaced else None)})."
        )
    if r.no_shows:
        lines.append(
            f"*Gone quiet:* {len(r.no_shows)} paused after unanswered check-ins "
            f"({', '.join(r.no_shows[:10])}{', …' if len(r.no_shows) > 10 else ''})."
        )
    return lines


def report_message(r: Report) -> dict[str, Any]:
    blocks: list[Block] = [
        header(f"Mentoring program, last {r.weeks} weeks"),
        section("\n".join(report_lines(r))),
    ]
    if r.unmatched_by_reason:
        blocks.append(
            section(
                "*Why mentees were left without a mentor*\n"
                + "\n".join(f"• {n} × {why}" for why, n in r.unmatched_by_reason)
            )
        )
    gaps = r.gaps()
    blocks.append(
        section(
            "*Skills to recruit mentors for*\n"
            + ("\n".join(f"• {g}" for g in gaps) if gaps else "Supply covers demand for every skill.")
        )
    )
    if r.trend:
        blocks.append(
            context(
                "Match rate by round: "
                + " · ".join(f"{p.period[-3:]} {_pct(p.match_rate)}" for p in r.trend[-12:])
            )
        )
    if r.comments:
        text = "\n".join(f"> {c}" for c in r.comments[:20])
        blocks.append(section(f"*Comments* (shown because you asked)\n{text}"))
    return message(blocks, f"Mentoring program report, last {r.weeks} weeks")
