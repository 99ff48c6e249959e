"""The admin report as a Slack message (and the text of the weekly digest)."""

from __future__ import annotations

from typing import Any

from bot.domain import ModeOutcome, Report, RoundFormat, RoundPoint
from bot.i18n import N_, _, ngettext
from bot.rendering.blocks import Block, context, escape, escaped, header, listed, message, section
from bot.rendering.terms import term


def _pct(value: float | None) -> str:
    return _("n/a") if value is None else f"{value:.0%}"


def report_lines(r: Report) -> list[str]:
    """The figures, one topic per line (also used for the digest and the CLI)."""
    lines = [
        _(
            "*{members}* members: {mentors} mentors, {mentees} mentees ({both} both), {paused} paused. "
            "Mentor places in use: {used} of {places}."
        ).format(
            members=r.members,
            mentors=r.mentors,
            mentees=r.mentees,
            both=r.both,
            paused=r.paused,
            used=r.capacity_used,
            places=r.capacity,
        ),
    ]
    if r.latest:
        line = _("*Round {period}:* {outcome}.").format(
            period=r.latest.period, outcome=_round_words(r.latest)
        )
        if r.average_score is not None:
            line += " " + _("Average score {average:.2f}, lowest {lowest:.2f}.").format(
                average=r.average_score, lowest=r.lowest_score
            )
        lines.append(line)
    else:
        lines.append(_("No rounds yet in this period."))
    satisfaction = (
        _("n/a")
        if r.satisfaction is None
        else _("{rating:.1f}/5 from {count} ratings").format(rating=r.satisfaction, count=r.ratings)
    )
    lines.append(
        _(
            "*Outcomes:* meeting rate {met} (check-ins), satisfaction {satisfaction}, "
            "{ended} ended early, {failed} undelivered messages."
        ).format(
            met=_pct(r.meeting_rate),
            satisfaction=satisfaction,
            ended=r.ended_early,
            failed=r.delivery_failures,
        )
    )
    if r.no_shows:
        lines.append(
            _("*Gone quiet:* {count} paused after unanswered check-ins ({who}).").format(
                count=len(r.no_shows), who=escaped(listed(r.no_shows, 10))
            )
        )
    return lines


def _round_words(p: RoundPoint) -> str:
    rate = _("(match rate {rate})").format(rate=_pct(p.match_rate))
    if p.format == RoundFormat.circles:
        return ngettext(
            "{circles} peer circle, {placed} members placed, {left} without one {rate}",
            "{circles} peer circles, {placed} members placed, {left} without one {rate}",
            p.circles,
        ).format(circles=p.circles, placed=p.pairs, left=p.unmatched, rate=rate)
    if p.format == RoundFormat.shortlist:
        return _("{paired} mentees paired from their shortlists so far, {left} not (yet) {rate}").format(
            paired=p.pairs, left=p.unmatched, rate=rate
        )
    return ngettext(
        "{pairs} new pair, {left} without a mentor {rate}",
        "{pairs} new pairs, {left} without a mentor {rate}",
        p.pairs,
    ).format(pairs=p.pairs, left=p.unmatched, rate=rate)


FORMAT_NAMES = {"pairs": N_("automatic pairs"), "shortlist": N_("shortlists"), "circles": N_("peer circles")}


def format_name(program_format: str) -> str:
    """A round format as admins read it."""
    return _(FORMAT_NAMES[program_format]) if program_format in FORMAT_NAMES else program_format


def modes_table(modes: list[ModeOutcome]) -> str:
    """Each format's outcomes side by side, as a fixed-width table (Slack has no table blocks)."""
    rows = [(_("format"), _("rounds"), _("matched"), _("met"), _("rating"))]
    for m in modes:
        rating = _("n/a") if m.satisfaction is None else f"{m.satisfaction:.1f}/5 ({m.ratings})"
        rows.append(
            (
                format_name(m.format),
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
UNRECORDED = N_("not recorded (a round from before causes were kept)")


def report_message(r: Report) -> dict[str, Any]:
    blocks: list[Block] = [
        header(_("Mentoring program, last {weeks} weeks").format(weeks=r.weeks)),
        section("\n".join(report_lines(r))),
    ]
    if r.unmatched_by_cause:
        causes = [f"• {n} × {_(cause.label if cause else UNRECORDED)}" for cause, n in r.unmatched_by_cause]
        blocks.append(section(_("*Why mentees were left without a mentor*") + "\n" + "\n".join(causes)))
    if len(r.modes) > 1:
        blocks.append(
            section(
                _(
                    "*Formats side by side* (matched: got a pair, an accepted request or a circle; "
                    "met: pairs or circles whose check-in said they met)"
                )
                + f"\n```{modes_table(r.modes)}```"
            )
        )
    gaps = r.gaps()
    blocks.append(
        section(
            _("*Skills to recruit mentors for*")
            + "\n"
            + (
                "\n".join(f"• {escape(term(g))}" for g in gaps)
                if gaps
                else _("Supply covers demand for every skill.")
            )
        )
    )
    if r.trend:
        blocks.append(
            context(
                _("Match rate by round:")
                + " "
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
        blocks.append(section(_("*Comments* (shown because you asked)") + f"\n{text}"))
    return message(blocks, _("Mentoring program report, last {weeks} weeks").format(weeks=r.weeks))


def digest_message(r: Report) -> dict[str, Any]:
    """The admin channel's digest after each round."""
    lines = report_lines(r) + [f"• {escape(term(g))}" for g in r.gaps()]
    return message([section(_("*Weekly mentoring digest*") + "\n" + "\n".join(lines))], _("Weekly digest"))
