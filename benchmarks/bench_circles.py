"""Peer circles: quality and time at 2,000 members against random grouping, and the gap to the
proven optimum on small instances.

Run:  .venv/bin/python -m benchmarks.bench_circles [--members 2000] [--small 40]

Quality is the objective of ``matching.circles`` (mutual teaching within circles,
less the same-team penalty). Baselines in the same run, on the same weights:

- random: members shuffled and cut into circles of 4 (3 or 5 at the end); a
  circle holding a forbidden pair (seniority, working hours, manager) is broken
  up, as it could not be proposed; its members count as unplaced;
- the optimum, by exhaustive search (``tests.matching.oracles.best_grouping``),
  on ``--small`` random workspaces of 10 members.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

import numpy as np

from benchmarks.table import show
from bot.catalog import default_catalog
from matching.circles import FORBIDDEN, circle_total, form_circles, mutual_weights
from matching.features import encode
from matching.synthetic import random_workspace
from matching.weights import Weights
from tests.matching.oracles import best_grouping

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)


def random_grouping(wts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(wts)
    order = rng.permutation(n)
    sizes = [4] * (n // 4)
    for k in range(n % 4):  # the rest join circles as fifth members
        if k < len(sizes):
            sizes[k] += 1
    labels = np.full(n, -1, dtype=np.int64)
    start = 0
    for g, size in enumerate(sizes):
        idx = order[start : start + size]
        start += size
        if (wts[np.ix_(idx, idx)] > FORBIDDEN / 2).all():
            labels[idx] = g
    return labels


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--size", type=int, default=10, help="members in each small workspace")
    args = parser.parse_args()
    names = default_catalog().names()
    rng = np.random.default_rng(0)

    people = [m for m in random_workspace(args.members, names, seed=11) if not m.paused]
    wts = mutual_weights(encode(people, at=AT), Weights())
    start = time.perf_counter()
    ours = form_circles(people, at=AT)
    seconds = time.perf_counter() - start
    randoms = [circle_total(wts, random_grouping(wts, rng)) for _ in range(20)]
    placed = sum(len(c.members) for c in ours.circles)
    show(
        f"peer circles, {len(people):,} members",
        ["circles", "placed", "unplaced", "seconds", "quality", "random (mean of 20)", "ours / random"],
        [
            [
                f"{len(ours.circles):,}",
                f"{placed:,}",
                f"{len(ours.unplaced):,}",
                f"{seconds:.1f}",
                f"{ours.total:.0f}",
                f"{np.mean(randoms):.0f}",
                f"{ours.total / np.mean(randoms):.1f}x",
            ]
        ],
    )

    ratios, exact = [], 0
    for seed in range(args.small):
        small = [m for m in random_workspace(args.size, names, seed=1000 + seed) if not m.paused]
        w_small = mutual_weights(encode(small, at=AT), Weights())
        best = best_grouping(w_small.tolist(), 3, 5)
        got = form_circles(small, at=AT).total
        if best > 0:
            ratios.append(got / best)
            exact += abs(got - best) < 1e-9
    show(
        f"peer circles vs the proven optimum, {len(ratios)} workspaces of 10 members",
        ["instances", "optimum reached", "mean of ours / optimum", "worst"],
        [[str(len(ratios)), str(exact), f"{np.mean(ratios):.3f}", f"{min(ratios):.3f}"]],
    )


if __name__ == "__main__":
    main()
