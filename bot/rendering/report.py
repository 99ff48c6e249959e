"""The admin report as a Slack message (and the text of the weekly digest)."""

from __future__ import annotations

from typing import Any

from bot.domain import ModeOutcome, Report, RoundFormat, RoundPoint
from bot.i18n import _
from bot.rendering.blocks import Block, context, escape, escaped, header, listed, message, section


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
        lines.append(f"*Round {r.latest.period}:* {_round_words(r.latest)}.{score}")
    else:
        lines.append("No rounds yet in this period.")
    satisfaction = "n/a" if r.satisfaction is None else f"{r.satisfaction:.1f}/5 from {r.ratings} ratings"
    lines.append(
        f"*Outcomes:* meeting rate {_pct(r.meeting_rate)} (check-ins), satisfaction {satisfaction}, "
        f"{r.ended_early} ended early, {r.delivery_failures} undelivered messages."
    )
    if r.no_shows:
        lines.append(
            f"*Gone quiet:* {len(r.no_shows)} paused after unanswered check-ins "
            f"({escaped(listed(r.no_shows, 10))})."
        )
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _round_words(p: RoundPoint) -> str:
    rate = f"(match rate {_pct(p.match_rate)})"
    if p.format == RoundFormat.circles:
        placed = f"{_n(p.pairs, 'member')} placed, {p.unmatched} without one"
        return f"{_n(p.circles, 'peer circle')}, {placed} {rate}"
    if p.format == RoundFormat.shortlist:
        return f"{_n(p.pairs, 'mentee')} paired from their shortlists so far, {p.unmatched} not (yet) {rate}"
    return f"{_n(p.pairs, 'new pair')}, {p.unmatched} without a mentor {rate}"


FORMAT_NAMES = {"pairs": "automatic pairs", "shortlist": "shortlists", "circles": "peer circles"}


def modes_table(modes: list[ModeOutcome]) -> str:
    """Each format's outcomes side by side, as a fixed-width table (Slack has no table blocks)."""
    rows = [("format", "rounds", "matched", "met", "rating")]
    for m in modes:
        rating = "n/a" if m.satisfaction is None else f"{m.satisfaction:.1f}/5 ({m.ratings})"
        rows.append(
            (
                FORMAT_NAMES.get(m.format, m.format),
                str(m.rounds),
                f"{m.matched}/{m.asked} {_pct(m.match_rate)}",
                _pct(m.meeting_rate),
                rating,
            )
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


#: Rounds stored before causes were kept count their left-out members under None.
UNRECORDED = "not recorded (a round from before causes were kept)"


def report_message(r: Report) -> dict[str, Any]:
    blocks: list[Block] = [
        header(f"Mentoring program, last {r.weeks} weeks"),
        section("\n".join(report_lines(r))),
    ]
    if r.unmatched_by_cause:
        blocks.append(
            section(
                "*Why mentees were left without a mentor*\n"
                + "\n".join(
                    f"• {n} × {cause.label if cause else UNRECORDED}" for cause, n in r.unmatched_by_cause
                )
            )
        )
    if len(r.modes) > 1:
        blocks.append(
            section(
                "*Formats side by side* (matched: got a pair, an accepted request or a circle; met: pairs "
                f"or circles whose check-in said they met)\n```{modes_table(r.modes)}```"
            )
        )
    gaps = r.gaps()
    blocks.append(
        section(
            "*Skills to recruit mentors for*\n"
            + ("\n".join(f"• {escape(g)}" for g in gaps) if gaps else "Supply covers demand for every skill.")
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
        quoted = ["> " + escape(c).replace("\n", "\n> ") for c in r.comments]
        text = "\n".join(
            listed(
                quoted,
                20,
                _("…and {count} more comments (`mentorbot report --comments` or the CSV has them all)"),
            )
        )
        blocks.append(section(f"*Comments* (shown because you asked)\n{text}"))
    return message(blocks, f"Mentoring program report, last {r.weeks} weeks")
