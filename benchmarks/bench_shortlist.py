"""Shortlists: time against one round's matching, and how well the lists respect capacity
against the obvious alternative (each mentee's own top mentors), in the same run.

Run:  .venv/bin/python -m benchmarks.bench_shortlist [--sizes 2000 20000] [--size 3]

Per workspace size, on one synthetic workspace (``matching.synthetic``):

- time: ``matching.shortlists`` against ``matching.match`` (the ratio is what
  counts; the machine is shared);
- crowding: how many lists a mentor is on per free slot (mean over mentors on
  any list, and the worst), for our layered lists and for per-mentee top-k
  (every mentee's ``size`` best-scoring feasible mentors, ranked independently);
- first-choice collisions: mentees whose first option is a mentor whose slots
  other mentees' first options already fill. Zero for ours by construction; for
  top-k it is how many mentees would ask and be turned away.
- mean score of the options offered, ours relative to top-k (top-k is the upper
  bound on a single mentee's options; the price of not colliding).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime

import numpy as np

from benchmarks.table import show
from bot.catalog import default_catalog
from matching import match, shortlists
from matching.synthetic import random_history, random_workspace

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)


def top_k(candidates: list[tuple[str, str, float]], size: int) -> dict[str, list[tuple[str, float]]]:
    """Each mentee's ``size`` best mentors, ranked on their own (the baseline)."""
    per_mentee: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for mentor, mentee, score in candidates:
        per_mentee[mentee].append((mentor, score))
    return {m: sorted(opts, key=lambda o: -o[1])[:size] for m, opts in per_mentee.items()}


def crowding(lists: dict[str, list[str]], capacity: dict[str, int]) -> tuple[float, float]:
    per_slot = [n / capacity[m] for m, n in Counter(x for opts in lists.values() for x in opts).items()]
    return float(np.mean(per_slot)), float(max(per_slot))


def collisions(lists: dict[str, list[str]], capacity: dict[str, int]) -> int:
    firsts = Counter(opts[0] for opts in lists.values() if opts)
    return sum(max(0, n - capacity[m]) for m, n in firsts.items())


def run(n: int, size: int) -> list[str]:
    members = random_workspace(n, default_catalog().names(), seed=n)
    history = random_history(members, n // 4, seed=n)
    capacity = {m.id: m.mentor_capacity for m in members}

    start = time.perf_counter()
    plain = match(members, history, at=AT)
    match_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = shortlists(members, history, size=size, at=AT)
    ours_s = time.perf_counter() - start

    ours_lists = {e.mentee: [p.mentor for p in e.options] for e in ours.shortlists}
    ours_scores = [p.score for e in ours.shortlists for p in e.options]
    naive = top_k(list(plain.candidates()), size)
    naive_lists = {m: [x for x, _ in opts] for m, opts in naive.items()}
    naive_scores = [s for opts in naive.values() for _, s in opts]
    ours_mean, ours_worst = crowding(ours_lists, capacity)
    naive_mean, naive_worst = crowding(naive_lists, capacity)
    return [
        f"{n:,}",
        f"{len(ours.shortlists):,} / {len(naive_lists):,}",
        f"{match_s:.2f}",
        f"{ours_s:.2f}",
        f"{ours_s / match_s:.1f}x",
        f"{ours_mean:.2f} / {ours_worst:.0f}",
        f"{naive_mean:.2f} / {naive_worst:.0f}",
        f"{collisions(ours_lists, capacity):,}",
        f"{collisions(naive_lists, capacity):,}",
        f"{np.mean(ours_scores) / np.mean(naive_scores):.0%}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000, 20_000])
    parser.add_argument("--size", type=int, default=3, help="options per mentee")
    args = parser.parse_args()
    show(
        f"shortlists of {args.size} (layered optimal matchings) vs per-mentee top-{args.size}",
        [
            "members",
            "mentees listed: ours / top-k",
            "match s",
            "shortlists s",
            "shortlists / match",
            "lists per slot, ours: mean / worst",
            "top-k: mean / worst",
            "first-choice collisions, ours",
            "top-k",
            "option score, ours / top-k",
        ],
        [run(n, args.size) for n in args.sizes],
    )


if __name__ == "__main__":
    main()
