"""Every feasible (mentee, mentor) pair of a round, scored once and kept compactly.

The exact solve needs two things from the full set of pairs: a small, promising
subset to solve first, and a final check that nothing outside that subset could
have improved the answer. Keeping all feasible pairs (16 bytes each: about 130 MB
for 8 million pairs in a 20,000-member workspace) lets both happen without scoring
anything twice.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from matching.features import Features
from matching.scoring import Scored, score_block
from matching.weights import Weights

#: Pairs scored per block: bounds the temporary arrays to a few hundred MB.
BLOCK_PAIRS = 2_000_000


@dataclass(frozen=True, slots=True)
class Pool:
    """Feasible pairs, grouped by mentee, with each pair's rank among its mentee's.

    ``rank`` is 0 for a mentee's best-scoring mentor, 1 for the next, and so on
    (ties broken by mentor position, so the ranking is deterministic).
    """

    mentee: np.ndarray  # int32 member positions
    mentor: np.ndarray  # int32 member positions
    score: np.ndarray  # int64 objective coefficients
    rank: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.mentee)

    def take(self, keep: np.ndarray) -> Pool:
        """The pairs at index array ``keep`` (ranks kept: they only steer pruning)."""
        return Pool(self.mentee[keep], self.mentor[keep], self.score[keep], self.rank[keep])

    def per_mentee(self, size: int) -> np.ndarray:
        """How many feasible mentors each member has (0 for non-mentees)."""
        return np.bincount(self.mentee, minlength=size)

    def best_per_mentor(self, k: int, size: int) -> np.ndarray:
        """Mask of each mentor's ``k`` best-scoring pairs (more on ties).

        Pruning only by mentee would leave popular-with-nobody mentors without an
        edge, and their zero potential would make every pair of theirs look
        improving; keeping a few per mentor avoids that. O(k * len) time.
        """
        remaining = self.score.astype(np.float64)
        keep = np.zeros(len(self), dtype=bool)
        for _ in range(k):
            best = np.full(size, -np.inf)
            np.maximum.at(best, self.mentor, remaining)
            hit = (remaining == best[self.mentor]) & np.isfinite(remaining)
            keep |= hit
            remaining[hit] = -np.inf
        return keep

    def smallest_per_mentee(self, picks: np.ndarray, key: np.ndarray, k: int) -> np.ndarray:
        """Of the pairs in index array ``picks``, each mentee's ``k`` with the smallest ``key``."""
        order = picks[np.lexsort((key[picks], self.mentee[picks]))]
        mentee = self.mentee[order]
        start = np.flatnonzero(np.r_[True, mentee[1:] != mentee[:-1]])
        rank = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
        return order[rank < k]


def _blocks(f: Features) -> list[np.ndarray]:
    """Runs of mentees, each scored against all mentors in one block."""
    if len(f.mentors) == 0:
        return []
    rows = max(1, BLOCK_PAIRS // len(f.mentors))
    return [f.mentees[start : start + rows] for start in range(0, len(f.mentees), rows)]


def build_pool(f: Features, w: Weights, threads: int = 2) -> Pool:
    """Score every mentee against every mentor and keep the feasible pairs.

    Blocks are scored on ``threads`` threads: numpy releases the GIL inside its
    array operations, so two cores nearly halve the wall time.
    """

    def one(mentees: np.ndarray) -> tuple[np.ndarray, ...]:
        block = score_block(f, w, mentees, f.mentors)
        return (
            block.mentee.astype(np.int32),
            block.mentor.astype(np.int32),
            block.score,
            _rank_within_mentee(block),
        )

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        parts = list(pool.map(one, _blocks(f)))
    if not parts:
        empty = np.zeros(0, dtype=np.int32)
        return Pool(empty, empty, np.zeros(0, dtype=np.int64), empty)
    return Pool(*(np.concatenate(column) for column in zip(*parts, strict=True)))


def _rank_within_mentee(block: Scored) -> np.ndarray:
    """Rank of each pair among its mentee's pairs, best score first.

    Blocks arrive grouped by mentee with mentors ascending, so a stable sort on
    (group, -score) leaves ties in mentor order.
    """
    if len(block) == 0:
        return np.zeros(0, dtype=np.int32)
    new_group = np.r_[True, block.mentee[1:] != block.mentee[:-1]]
    group = np.cumsum(new_group) - 1
    span = int(block.score.max() - block.score.min()) + 1
    key = group * span + (block.score.max() - block.score)
    order = np.argsort(key, kind="stable")
    group_start = np.flatnonzero(new_group)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order)) - np.repeat(group_start, np.diff(np.r_[group_start, len(order)]))
    return rank
