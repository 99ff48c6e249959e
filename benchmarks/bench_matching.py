"""Matching engine: time, peak memory, optimum, and baselines.

Run:  .venv/bin/python -m benchmarks.bench_matching                     (both tables, ~15 minutes)
      .venv/bin/python -m benchmarks.bench_matching --sizes 1000 5000 --heavy
      .venv/bin/python -m benchmarks.bench_matching --sizes --heavy 5000 20000 --baseline e394fa7
      .venv/bin/python -m benchmarks.bench_matching --sizes --heavy --few-mentors 10000 20000

Two tables. The first, on the default synthetic workspace (about half the members
want a mentor), compares the engine with baselines on the very same feasible pairs:

Each size runs in its own process so its peak RSS is its own. Beside the engine,
on the very same feasible pairs:

* a greedy baseline (best remaining pair first): how much score and how many
  matches an obvious heuristic loses;
* ``networkx.max_weight_matching(maxcardinality=True)`` on mentor slots, the same
  lexicographic objective, where it finishes in reasonable time (1k only: it is
  O(n^3) and takes hours at 5k). Its total must equal ours, and its time divided
  by ours is the ratio to look at on a noisy machine.

The second, on mentee-heavy workspaces (two thirds of members want a mentor),
(and, with ``--few-mentors``, on workspaces where only every 20th member offers
places) runs the engine of this tree and the engine of ``--baseline`` (a git revision,
checked out in a temporary worktree) on the same JSON file, twice each: ``match()``
alone (after parsing) and the whole ``mentorbot match IN --output OUT`` command,
each in a process of its own (peak MB is that process's whole RSS).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np

from benchmarks.table import show
from bot.catalog import default_catalog
from matching import match
from matching.synthetic import random_history, random_workspace
from matching.weights import SCORE_SCALE

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)
NX_LIMIT = 1_000  # members; beyond this networkx's blossom takes far too long
#: The engine before issue 16 (LAPJV on mentor slots, every feasible pair held, float64 lift).
BASELINE = "e394fa7"
ROOT = Path(__file__).resolve().parent.parent


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


def heavy_file(n: int, folder: Path, few_mentors: bool = False) -> Path:
    """A mentee-heavy workspace of ``n`` members as the JSON ``mentorbot match`` reads.

    ``few_mentors``: nine in ten members want a mentor and only every 20th member
    offers places (about one place per twenty mentees): most mentees stay unmatched.
    """
    from matching.synthetic import workspace_document  # this tree's; children may run another's

    share = 0.9 if few_mentors else 2 / 3
    members = random_workspace(n, default_catalog().names(), seed=n, mentee_share=share)
    if few_mentors:
        members = [
            m if k % 20 == 0 else dataclasses.replace(m, mentor_capacity=0) for k, m in enumerate(members)
        ]
    history = random_history(members, n // 4, seed=n)
    waiting = {m.id: 1 for m in members[::17]}
    path = folder / f"workspace-{n}{'-few-mentors' if few_mentors else ''}.json"
    path.write_text(json.dumps(workspace_document(members, history, waiting)))
    return path


def engine_child(path: str) -> dict:
    """``match()`` on a parsed file, with whichever ``matching`` package is on the path."""
    from matching.parse import parse_json

    data = parse_json(Path(path).read_text())
    start = time.perf_counter()
    try:
        result = match(data.members, data.history, waiting=data.waiting, at=AT)
    except (OverflowError, MemoryError) as exc:
        return {"error": type(exc).__name__}
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mentees": len(result.features.mentees),
        "mentors": len(result.features.mentors),
        "places": int(result.features.capacity.sum()),
        "feasible": result.feasible_pairs,
        "rounds": result.rounds,
        "pairs": len(result.pairs),
        "total": round(result.total_score * SCORE_SCALE),
    }


def command_child(tree: str, path: str) -> dict:
    """The whole ``mentorbot match IN --output OUT`` of ``tree``, timed from outside."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.cli.app",
                "match",
                path,
                "--output",
                f"{out}/out.json",
                "--at",
                AT.isoformat(),
            ],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": tree},
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
    if done.returncode:
        return _failure(done)
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _failure(done: subprocess.CompletedProcess) -> dict:
    """A row's error cell: the last line the failed process printed."""
    return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:60]}


def _run(tree: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_matching.py"), *args],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return _failure(out)
    return json.loads(out.stdout)


def heavy_rows(sizes: list[int], baseline: str, few_mentors: bool = False) -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), baseline], cwd=ROOT, check=True)
        try:
            for n in sizes:
                path = str(heavy_file(n, Path(folder), few_mentors))
                new = _run(ROOT, "--engine-child", path)
                base = _run(old, "--engine-child", path)
                new_cmd = _run(ROOT, "--command-child", str(ROOT), path)
                base_cmd = _run(old, "--command-child", str(old), path)
                rows.append(_heavy_cells(n, new, base, new_cmd, base_cmd))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    return rows


def _heavy_cells(n: int, new: dict, base: dict, new_cmd: dict, base_cmd: dict) -> list[str]:
    def timing(r: dict) -> list[str]:
        return [r["error"], "-"] if "error" in r else [f"{r['seconds']:.2f}", f"{r['peak_mb']:.0f}"]

    same = "-"
    if "error" not in base and "error" not in new:
        same = "yes" if (base["pairs"], base["total"]) == (new["pairs"], new["total"]) else "NO"
    speedup = (
        "-"
        if "error" in base_cmd or "error" in new_cmd
        else f"{base_cmd['seconds'] / new_cmd['seconds']:.1f}x"
    )
    return [
        f"{n:,}",
        f"{new.get('mentees', 0):,}",
        f"{new.get('mentors', 0):,}",
        f"{new.get('places', 0):,}",
        f"{new.get('feasible', 0):,}",
        str(new.get("rounds", "-")),
        *timing(new),
        *timing(base),
        *timing(new_cmd),
        *timing(base_cmd),
        speedup,
        same,
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 5_000, 20_000])
    parser.add_argument("--heavy", type=int, nargs="*", default=[5_000, 20_000, 40_000, 80_000])
    parser.add_argument(
        "--few-mentors", type=int, nargs="*", default=[], help="sizes of workspaces short of mentors"
    )
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the engine to compare with")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine-child", help=argparse.SUPPRESS)
    parser.add_argument("--command-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    if args.engine_child:
        print(json.dumps(engine_child(args.engine_child)))
        return
    if args.command_child:
        print(json.dumps(command_child(*args.command_child)))
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
    if rows:
        show(
            "matching engine (exact, certified) vs baselines on the same feasible pairs",
            header,
            [_cells(r) for r in rows],
            width=220,
        )
    heavy_header = [
        "members",
        "mentees",
        "mentors",
        "places",
        "feasible pairs",
        "solves",
        "match s",
        "match MB",
        "baseline match s",
        "baseline match MB",
        "command s",
        "command MB",
        "baseline command s",
        "baseline command MB",
        "command speed-up",
        "same optimum",
    ]
    if args.heavy:
        show(
            f"mentee-heavy workspaces: this engine vs {args.baseline}, match() alone and the whole command",
            heavy_header,
            heavy_rows(args.heavy, args.baseline),
            width=240,
        )
    if args.few_mentors:
        show(
            f"workspaces short of mentors: this engine vs {args.baseline}",
            heavy_header,
            heavy_rows(args.few_mentors, args.baseline, few_mentors=True),
            width=240,
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
