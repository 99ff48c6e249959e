"""The admin chart: skill supply vs demand, and match and meeting rates per round.

Drawn with matplotlib's Agg backend: no display needed, safe in a worker.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain import Report

SKILLS_SHOWN = 12
SUPPLY_DEMAND_YLABEL = "people"
RATES_YLABEL = "share of mentees"


def figure(report: Report) -> Figure:
    fig = Figure(figsize=(11, 4.5), dpi=110)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    # Most wanted first: unmet demand is what an admin acts on.
    top = sorted(report.skills, key=lambda s: (-s.demand, -s.supply, s.skill))[:SKILLS_SHOWN]
    xs = range(len(top))
    left.bar([x - 0.2 for x in xs], [s.demand for s in top], width=0.4, label="mentees who want it")
    left.bar([x + 0.2 for x in xs], [s.supply for s in top], width=0.4, label="mentor places offering it")
    left.set_xticks(list(xs), [s.skill for s in top], rotation=40, ha="right", fontsize=8)
    left.set_title("Skill supply vs demand")
    left.set_ylabel(SUPPLY_DEMAND_YLABEL)
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.legend(fontsize=8)

    periods = [p.period for p in report.trend]
    right.plot(periods, [p.match_rate for p in report.trend], marker="o", label="match rate")
    right.plot(periods, [p.meeting_rate for p in report.trend], marker="s", label="meeting rate")
    right.set_ylim(0, 1.05)
    right.set_title(f"Rounds, last {report.weeks} weeks")
    right.set_xlabel("round")
    right.set_ylabel(RATES_YLABEL)
    right.tick_params(axis="x", labelrotation=40, labelsize=8)
    right.legend(fontsize=8)
    fig.tight_layout()
    return fig


def png(report: Report) -> bytes:
    out = io.BytesIO()
    figure(report).savefig(out, format="png")
    return out.getvalue()
