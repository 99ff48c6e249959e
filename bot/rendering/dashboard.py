"""Charts for the admin dashboard, drawn on the server as SVG: no script, no outside network.

The SVG is built from numbers and fixed words only (round periods are the app's own
``2026-W48`` strings, escaped all the same), so it can go into a page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.domain import RoundPoint

WIDTH, HEIGHT, PAD = 640, 220, 36
SERIES = (("match rate", "#1264a3"), ("meeting rate", "#2eb67d"))


def trend_svg(trend: Sequence[RoundPoint]) -> str:
    """Match rate and meeting rate per round, 0-100 %, as an accessible SVG line chart."""
    title = "Match rate and meeting rate per round"
    if not trend:
        return f'<p class="empty">{title}: no rounds yet.</p>'
    step = (WIDTH - 2 * PAD) / max(1, len(trend) - 1)

    def y(rate: float) -> float:
        return HEIGHT - PAD - rate * (HEIGHT - 2 * PAD)

    lines = []
    for (name, colour), rates in zip(
        SERIES, ([p.match_rate for p in trend], [p.meeting_rate for p in trend]), strict=True
    ):
        known = [(PAD + k * step, y(r), r) for k, r in enumerate(rates) if r is not None]
        if known:
            points = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _ in known)
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
        f'<text x="{PAD + 140 * k}" y="16" font-size="12" fill="{colour}">&#9632; {name}</text>'
        for k, (name, colour) in enumerate(SERIES)
    )
    return (
        f'<svg role="img" aria-label="{title}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{grid}{"".join(lines)}{labels}{legend}</svg>'
    )
