"""Matching engine at 1k, 5k and 20k members: time, peak memory, optimum, and baselines.

Run:  .venv/bin/python -m benchmarks.bench_matching            (about 2 minutes)
      .venv/bin/python -m benchmarks.bench_matching --sizes 1000 5000

Each size runs in its own process so its peak RSS is its own. Beside the engine,
on the very same feasible pairs:

* a greedy baseline (best remaining pair first): how much score and how many
  matches an obvious heuristic loses;
* ``networkx.max_weight_matching(maxcardinality=True)`` on mentor slots, the same
  lexicographic objective, where it finishes in reasonable time (1k only: it is
  O(n^3) and takes hours at 5k). Its total must equal ours, and its time divided
  by ours is the ratio to look at on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

import networkx as nx
import numpy as np

from benchmarks.table import show
from bot.catalog import default_catalog
from matching import match
from matching.synthetic import random_history, random_workspace
from matching.weights import SCORE_SCALE

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)
NX_LIMIT = 1_000  # members; beyond this networkx's blossom takes far too long


def greedy(result) -> tuple[int, int]:
    """Pairs and total score of best-pair-first on the engine's own feasible pairs."""
    pool, f = result.every_pair(), result.features
    order = np.argsort(-pool.score, kind="stable")
    free = f.capacity.astype(np.int64).copy()
    taken = np.zeros(f.size, dtype=bool)
    pairs = total = 0
    for k in order.tolist():
        e, m = int(pool.mentee[k]), int(pool.mentor[k])
        if not taken[e] and free[m] > 0:
            taken[e] = True
            free[m] -= 1
            pairs += 1
            total += int(pool.score[k])
    return pairs, total


def networkx_slots(result) -> tuple[float, int, int]:
    """Seconds, pairs and total of networkx's blossom on the slot-expanded pairs."""
    pool, f = result.every_pair(), result.features
    G = nx.Graph()
    for e, m, s in zip(pool.mentee.tolist(), pool.mentor.tolist(), pool.score.tolist(), strict=True):
        for slot in range(int(f.capacity[m])):
            G.add_edge(("e", e), ("m", m, slot), weight=s)
    start = time.perf_counter()
    chosen = nx.max_weight_matching(G, maxcardinality=True)
    seconds = time.perf_counter() - start
    return seconds, len(chosen), sum(G.edges[u, v]["weight"] for u, v in chosen)


def child(n: int) -> dict:
    members = random_workspace(n, default_catalog().names(), seed=n)
    history = random_history(members, n // 4, seed=n)
    waiting = {m.id: 1 for m in members[::17]}
    start = time.perf_counter()
    result = match(members, history, waiting=waiting, at=AT)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    g_pairs, g_total = greedy(result)
    row = {
        "members": n,
        "mentees": len(result.features.mentees),
        "mentors": len(result.features.mentors),
        "feasible": result.feasible_pairs,
        "graph": result.graph_edges,
        "rounds": result.rounds,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "pairs": len(result.pairs),
        "total": round(result.total_score * SCORE_SCALE),
        "greedy_pairs": g_pairs,
        "greedy_total": g_total,
    }
    if n <= NX_LIMIT:
        nx_seconds, nx_pairs, nx_total = networkx_slots(result)
        row.update(nx_seconds=nx_seconds, nx_pairs=nx_pairs, nx_total=nx_total)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 5_000, 20_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_matching", "--child", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(out.stdout))
    header = [
        "members",
        "mentees",
        "mentors",
        "feasible pairs",
        "solved graph",
        "solves",
        "wall s",
        "peak MB",
        "pairs",
        "total score",
        "greedy pairs",
        "greedy score gap",
        "networkx s",
        "networkx / ours",
        "networkx = ours",
    ]
    show(
        "matching engine (exact, certified) vs baselines on the same feasible pairs",
        header,
        [_cells(r) for r in rows],
        width=220,
    )


def _cells(r: dict) -> list[str]:
    gap = 100 * (r["total"] - r["greedy_total"]) / r["total"]
    nx_cells = ["-", "-", "-"]
    if "nx_seconds" in r:
        same = r["nx_total"] == r["total"] and r["nx_pairs"] == r["pairs"]
        nx_cells = [
            f"{r['nx_seconds']:.1f}",
            f"{r['nx_seconds'] / r['seconds']:.0f}x",
            "yes" if same else "NO",
        ]
    return [
        f"{r['members']:,}",
        f"{r['mentees']:,}",
        f"{r['mentors']:,}",
        f"{r['feasible']:,}",
        f"{r['graph']:,}",
        str(r["rounds"]),
        f"{r['seconds']:.2f}",
        f"{r['peak_mb']:.0f}",
        f"{r['pairs']:,}",
        f"{r['total'] / SCORE_SCALE:,.1f}",
        f"{r['greedy_pairs']:,}",
        f"{gap:.1f}%",
        *nx_cells,
    ]


if __name__ == "__main__":
    main()
