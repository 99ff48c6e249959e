"""What the admin dashboard's pages show besides their templates' own words: the names of
states, in the admin's language, and the trend chart, drawn on the server as SVG (no script,
no outside network).

The SVG is built from numbers and fixed words only (round periods are the app's own
``2026-W48`` strings, escaped all the same), so it can go into a page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from html import escape

from bot.domain import InviteStatus, MemberState, PairHealth, RoundPoint, RoundStatus
from bot.i18n import N_, _

WIDTH, HEIGHT, PAD = 640, 220, 36
SERIES = ((N_("match rate"), "#1264a3"), (N_("meeting rate"), "#2eb67d"))
#: How pages name each state (its value is English; these are catalog texts).
STATE_NAMES: dict[StrEnum, str] = {
    PairHealth.on_track: N_("on track"),
    PairHealth.needs_check_in: N_("needs a check-in"),
    PairHealth.too_early: N_("too early to tell"),
    PairHealth.ended_early: N_("ended early"),
    MemberState.active: N_("active"),
    MemberState.paused: N_("paused"),
    MemberState.gone_quiet: N_("gone quiet"),
    RoundStatus.running: N_("running"),
    RoundStatus.pending: N_("held for review"),
    RoundStatus.done: N_("done"),
    RoundStatus.dropped: N_("dropped"),
    InviteStatus.invite: N_("will be invited"),
    InviteStatus.member: N_("already has a profile"),
    InviteStatus.invited: N_("already invited"),
    InviteStatus.unknown: N_("not found in this Slack workspace"),
    InviteStatus.unreadable: N_("not a member id or an email address"),
}


def state_name(state: StrEnum) -> str:
    """A state as the admin reads it."""
    return _(STATE_NAMES[state])


def trend_svg(trend: Sequence[RoundPoint]) -> str:
    """Match rate and meeting rate per round, 0-100 %, as an accessible SVG line chart."""
    named = _("Match rate and meeting rate per round")
    title = escape(named)
    if not trend:
        empty = _("{chart}: no rounds yet.").format(chart=named)
        return f'<p class="empty">{escape(empty)}</p>'
    step = (WIDTH - 2 * PAD) / max(1, len(trend) - 1)

    def y(rate: float) -> float:
        return HEIGHT - PAD - rate * (HEIGHT - 2 * PAD)

    lines = []
    for (series, colour), rates in zip(
        SERIES, ([p.match_rate for p in trend], [p.meeting_rate for p in trend]), strict=True
    ):
        known = [(PAD + k * step, y(r), r) for k, r in enumerate(rates) if r is not None]
        name = escape(_(series))
        if known:
            points = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _rate in known)
            lines.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{points}">'
                f"<title>{name}</title></polyline>"
            )
            lines.extend(  # a dot per round: a single round still shows
                f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="4" fill="{colour}">'
                f"<title>{name}: {r:.0%}</title></circle>"
                for x, yy, r in known
            )
    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
        f'<text x="4" y="{y(v) + 4:.1f}" font-size="11">{int(v * 100)}%</text>'
        for v in (0.0, 0.5, 1.0)
    )
    labels = "".join(
        f'<text x="{PAD + k * step:.1f}" y="{HEIGHT - 8}" font-size="11" text-anchor="middle">'
        f"{escape(p.period)}</text>"
        for k, p in enumerate(trend)
        if len(trend) <= 8 or k % max(1, len(trend) // 6) == 0
    )
    legend = "".join(
        f'<text x="{PAD + 140 * k}" y="16" font-size="12" fill="{colour}">&#9632; {escape(name)}</text>'
        for k, name, colour in ((k, _(series), colour) for k, (series, colour) in enumerate(SERIES))
    )
    return (
        f'<svg role="img" aria-label="{title}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{grid}{"".join(lines)}{labels}{legend}</svg>'
    )
