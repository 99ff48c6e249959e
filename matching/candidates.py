"""The feasible (mentee, mentor) pairs of a round, found in one blocked scan and kept compactly.

A 20,000-member workspace has about 90 million possible pairs and 10 million
feasible ones; an 80,000-member one sixteen times that. The exact solve needs two
things from them: a small subset that already holds the optimum, to solve first,
and, after each solve, the pairs that could still improve the answer.

:func:`find_candidates` scans every pair once, in blocks of mentees x all mentors,
with :class:`matching.scoring.FitBound` (an upper bound of the fit, in float32).
It keeps, for the pairs the bound does not rule out, only a 4-byte entry (the
mentor's column and the bound rounded *up* to 16-bit fixed point, :class:`Grid`), the exact number of
feasible mentors of each mentee, each mentee's ``width`` highest values (for the
auction) and each mentor's most promising pairs, scored exactly.
:meth:`Candidates.seed` runs :func:`matching.auction.auction` on them and picks each
mentee's pairs by value minus the mentor's price: the starting graph, and
potentials to start the certificate from. :meth:`Candidates.improving` then prices
every kept entry against a solution's certificate with a few vectorised operations
and scores exactly, with :func:`matching.scoring.score_pairs`, only the pairs the
bound cannot rule out. Memory is about 4 bytes per feasible pair (no scores, no
index copies) plus ``width`` values per mentee.

Blocks run on ``threads`` threads with one BLAS thread each (numpy releases the GIL
inside its array operations), so two cores are used without oversubscribing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from matching.auction import auction
from matching.bmatching import BMatching
from matching.features import Features
from matching.groups import first_per_group, spans, top_per_row
from matching.scoring import BOUND_MARGIN, FitBound, Scored, score_pairs, waiting_boost
from matching.weights import SCORE_SCALE, Weights

#: Pairs per block of the scan: bounds the temporary arrays to tens of MB per thread.
BLOCK_PAIRS = 1_000_000
#: Pairs scored exactly in one call (score_pairs holds pairs x skills floats).
EXACT_CHUNK = 100_000
#: Table entries priced per chunk: smaller than a scan block, because the first pricing pass keeps
#: most entries of a chunk as "maybe" and scores them exactly (about 0.5 GB peak at 1M, 20k members).
PRICE_PAIRS = 250_000
#: Each mentee's highest values kept for the auction, per square root of the mentors: a bid costs
#: the width, reading a row in full again (once prices pass its kept entries) costs the row, which
#: grows with the mentors. Measured: 128 at 7,000 mentors and 256 at 28,000 halve the auction's
#: time against a fixed 128 or 512 at the other size.
SEED_WIDTH_PER_ROOT = 1.5
#: ... and never fewer: small workspaces keep whole rows.
MIN_SEED_WIDTH = 32
#: The auction's bid increment (score units): prices within about this of the optimal duals.
AUCTION_EPS = 0.01
#: Cap on a price turned into a potential (a mentor with no places has an infinite one).
MAX_PRICE = 1_000.0


T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Pool:
    """Exactly scored feasible pairs (member positions and integer scores)."""

    mentee: np.ndarray  # int64 member positions
    mentor: np.ndarray  # int64 member positions
    score: np.ndarray  # int64 objective coefficients

    def __len__(self) -> int:
        return len(self.mentee)

    def take(self, keep: np.ndarray) -> Pool:
        return Pool(self.mentee[keep], self.mentor[keep], self.score[keep])

    def keys(self, size: int) -> np.ndarray:
        """``mentee * size + mentor`` of each pair."""
        return self.mentee * size + self.mentor

    @staticmethod
    def join(pools: Iterable[Pool]) -> Pool:
        parts = list(pools)
        if not parts:
            return EMPTY
        return Pool(
            *(
                np.concatenate(column)
                for column in zip(*((p.mentee, p.mentor, p.score) for p in parts), strict=True)
            )
        )

    @staticmethod
    def of(scored: Scored) -> Pool:
        return Pool(scored.mentee, scored.mentor, scored.score)


EMPTY = Pool(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))


@dataclass(frozen=True, slots=True)
class Grid:
    """16-bit fixed point for fit bounds: ``code`` stands for ``low + code * step``.

    A scan stores millions of bounds; two bytes each, and exact integer codes
    convert to and from float32 in one vectorised pass (float16 conversions are
    ten times slower). :meth:`above` rounds up, so a stored bound is still a bound.
    """

    low: float
    step: float

    #: Codes used for ``low .. high``; the rest of uint16 is headroom against float error.
    CODES = 65_000

    @classmethod
    def spanning(cls, low: float, high: float) -> Grid:
        """A grid whose codes reach from ``low`` to a little past ``high``."""
        return cls(low, max(high - low, 1e-3) / cls.CODES)

    def above(self, bound: np.ndarray) -> np.ndarray:
        """The codes of the grid points at or above each finite ``bound`` (one step of slack
        for float32 rounding)."""
        steps = (bound - np.float32(self.low)) / np.float32(self.step)
        return np.clip(steps + 1, 0, np.iinfo(np.uint16).max).astype(np.uint16)

    @property
    def highest(self) -> float:
        """The value of the highest code."""
        return self.low + float(np.iinfo(np.uint16).max) * self.step

    def value(self, code: np.ndarray) -> np.ndarray:
        """The bound each code stands for, as float32."""
        return code.astype(np.float32) * np.float32(self.step) + np.float32(self.low)


@dataclass(frozen=True, slots=True)
class Seed:
    """A starting graph, and potentials to start the certificate from (``f.mentees``, then ``f.mentors``)."""

    graph: Pool
    potentials: np.ndarray


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one scan keeps of a round's feasible pairs (module docstring).

    Rows are ``mentees`` (member positions in scan order: blocks of alike mentees,
    each block sorted); ``indptr``/``column``/``bound`` hold, row after row, every
    pair the bound left open: its column in ``f.mentors`` and the fit bound rounded
    up on ``grid``. ``top_value`` and ``top_column`` hold each row's ``width``
    highest values (bound plus waiting boost; exact where the scan scored the pair)
    and ``mentor_best`` each mentor's most promising pairs, scored exactly. ``counts`` is the exact number of
    feasible mentors per member.
    """

    f: Features
    w: Weights
    mentees: np.ndarray
    mentor_best: Pool
    counts: np.ndarray
    indptr: np.ndarray
    column: np.ndarray
    bound: np.ndarray
    grid: Grid
    top_value: np.ndarray
    top_column: np.ndarray
    threads: int

    def __len__(self) -> int:
        return len(self.column)

    def improving(
        self, solution: BMatching, slack: int, per_mentee: int, skip: np.ndarray
    ) -> tuple[Pool, np.ndarray]:
        """The pairs priced below ``slack`` by ``solution`` (at most ``per_mentee`` each, lowest first).

        ``solution`` is indexed by mentee (``f.mentees`` order) and mentor
        (``f.mentors`` order). Pairs whose keys are in sorted ``skip`` (already in
        the graph) are left out. Returns the pairs and their reduced costs: the
        optimum over *every* feasible pair is proved when none is negative.
        """
        f = self.f
        left = np.searchsorted(f.mentees, self.mentees)
        # reduced = -score + u - v < slack  needs  score > u - v - slack, and score <= bound + boost.
        need = (
            solution.left_potential[left] - waiting_boost(f, self.w, self.mentees) - slack - 1
        ) / SCORE_SCALE
        have = solution.right_potential / SCORE_SCALE
        # Compared in float32 over every kept entry (half the memory traffic of float64), with room
        # for float32 rounding on top of the bound's own margin.
        largest = max(np.abs(need).max(initial=0), np.abs(have).max(initial=0), self.grid.highest, 1.0)
        need = (need - BOUND_MARGIN - 8 * float(np.finfo(np.float32).eps) * largest).astype(np.float32)
        have = have.astype(np.float32)
        reached = solution.left_reached[left]

        def pick(rows: slice) -> tuple[Pool, np.ndarray]:
            row, column, bound = self._entries(rows)
            maybe = np.flatnonzero(bound + have[column] > need[row])
            if reached[rows].any():
                # Pairs crossing the cut could raise the number matched: the most promising few per mentee.
                crossing = np.flatnonzero(reached[row] & ~solution.right_reached[column])
                crossing = crossing[first_per_group(row[crossing], (-bound[crossing],), per_mentee)]
                maybe = np.union1d(maybe, crossing)
            pool = self._exact(self.mentees[row[maybe]], f.mentors[column[maybe]])
            pool = pool.take(np.flatnonzero(~_isin_sorted(pool.keys(f.size), skip)))
            reduced = solution.price(
                np.searchsorted(f.mentees, pool.mentee), np.searchsorted(f.mentors, pool.mentor), pool.score
            )
            keep = np.flatnonzero(reduced < slack)
            # Rows don't span chunks, so each mentee's selection is final here. Lowest reduced cost
            # first; among pairs that must be added (they cross the cut), best score first.
            keep = keep[first_per_group(pool.mentee[keep], (-pool.score[keep], reduced[keep]), per_mentee)]
            return pool.take(keep), reduced[keep]

        parts = list(_parallel(pick, self._chunks(), self.threads))
        reduced = np.concatenate([r for _, r in parts]) if parts else np.zeros(0, np.int64)
        return Pool.join(p for p, _ in parts), reduced

    def seed(self, capacity: np.ndarray, maxcardinality: bool, per_mentee: int, slack: int) -> Seed:
        """The starting graph: each mentee's pairs within ``slack`` of its best by value minus price.

        Prices come from :func:`matching.auction.auction` on the kept values, for
        mentors with ``capacity`` (``f.mentors`` order) places. The graph holds, per
        mentee, at most ``per_mentee`` pairs whose bound minus price is within
        ``slack`` (score millionths) of the mentee's best, the pair the auction gave
        it, and each mentor's most promising pairs; all scored exactly. The
        potentials are the prices (mentors) and best value minus price (mentees).
        """
        f = self.f
        prices = auction(
            self.top_value,
            self.top_column,
            capacity,
            np.diff(self.indptr),
            self._whole_rows,
            AUCTION_EPS,
            not maxcardinality,
        )
        mentee_potential = np.zeros(len(f.mentees), dtype=np.int64)
        profit = np.where(np.isfinite(prices.profit), prices.profit, 0).astype(np.float64)
        mentee_potential[np.searchsorted(f.mentees, self.mentees)] = np.ceil(profit * SCORE_SCALE)
        mentor_potential = -np.rint(np.minimum(prices.price, MAX_PRICE) * SCORE_SCALE).astype(np.int64)
        estimate = BMatching.estimate(mentee_potential, mentor_potential, maxcardinality)
        picked, _ = self.improving(estimate, slack, per_mentee, np.zeros(0, np.int64))
        held = np.flatnonzero(prices.holds >= 0)
        won = self._exact(self.mentees[held], f.mentors[prices.holds[held]])
        graph = Pool.join([picked, won, self.mentor_best])
        _, unique = np.unique(graph.keys(f.size), return_index=True)
        return Seed(graph.take(unique), np.r_[mentee_potential, mentor_potential])

    def every(self) -> Pool:
        """Every feasible pair, scored exactly: O(feasible pairs) memory, for inspection and oracles."""

        def score(rows: slice) -> Pool:
            row, column, _ = self._entries(rows)
            return self._exact(self.mentees[row], self.f.mentors[column])

        return Pool.join(_parallel(score, self._chunks(), self.threads))

    def _entries(self, rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row index, mentor column and bound of every entry of a run of rows."""
        lo, hi = self.indptr[rows.start], self.indptr[rows.stop]
        row = np.repeat(np.arange(rows.start, rows.stop), np.diff(self.indptr[rows.start : rows.stop + 1]))
        return row, self.column[lo:hi].astype(np.int64), self.grid.value(self.bound[lo:hi])

    def _whole_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each entry's column and value (bound plus boost) of these rows, row after row."""
        sizes = np.diff(self.indptr)[rows]
        entry = spans(self.indptr[rows], sizes)
        boost = (waiting_boost(self.f, self.w, self.mentees[rows]) / SCORE_SCALE).astype(np.float32)
        value = self.grid.value(self.bound[entry]) + np.repeat(boost, sizes)
        return self.column[entry].astype(np.int64), value

    def _chunks(self) -> list[slice]:
        """Runs of rows holding about ``PRICE_PAIRS`` entries each."""
        cuts = np.unique(
            np.r_[0, np.searchsorted(self.indptr, np.arange(PRICE_PAIRS, len(self), PRICE_PAIRS))]
        )
        cuts = np.r_[cuts[cuts < len(self.mentees)], len(self.mentees)]
        return [slice(int(a), int(b)) for a, b in pairwise(cuts)]

    def _exact(self, mentee: np.ndarray, mentor: np.ndarray) -> Pool:
        return exact(self.f, self.w, mentee, mentor)


def exact(f: Features, w: Weights, mentee: np.ndarray, mentor: np.ndarray) -> Pool:
    """The feasible ones of these pairs, scored by the one score formula."""
    parts = []
    for start in range(0, len(mentee), EXACT_CHUNK):
        scored = score_pairs(f, w, mentee[start : start + EXACT_CHUNK], mentor[start : start + EXACT_CHUNK])
        parts.append(Pool.of(scored.take(scored.feasible)))
    return Pool.join(parts)


def find_candidates(
    f: Features,
    w: Weights,
    excluded: np.ndarray | None = None,
    mentees: np.ndarray | None = None,
    per_mentor: int = 3,
    width: int | None = None,
    threads: int = 2,
) -> Candidates:
    """Scan every pair of ``mentees`` (default: all) x every mentor once (module docstring).

    ``excluded`` holds sorted ``mentee * size + mentor`` keys of pairs ruled out
    from outside the profiles. Each mentee keeps its ``width`` highest values (for
    :meth:`Candidates.seed`; by default :data:`SEED_WIDTH_PER_ROOT` times the square
    root of the number of mentors) and each mentor its ``per_mentor`` highest-bound
    feasible pairs, scored exactly. Keeping a few per mentor matters: a mentor
    without an edge would get a zero potential and make every pair of theirs look
    improving.
    O(mentees x mentors x skills / BLAS speed) time, O(block + feasible pairs x 4 B) memory.
    """
    mentees = f.mentees if mentees is None else np.asarray(mentees, dtype=np.int64)
    column_type = np.uint16 if len(f.mentors) <= np.iinfo(np.uint16).max else np.int32
    if width is None:
        width = max(MIN_SEED_WIDTH, round(SEED_WIDTH_PER_ROOT * np.sqrt(len(f.mentors))))
    width = min(width, len(f.mentors))
    scan = _Scan(f, w, np.asarray([] if excluded is None else excluded, dtype=np.int64))
    rows = max(1, BLOCK_PAIRS // max(1, len(f.mentors)))
    # Blocks of mentees alike in time zone, seniority and target role: a block then skips every
    # mentor none of them can reach (about half of all pairs share too few working hours or have
    # a junior mentor). Rows stay in that order; each block's are sorted.
    alike = mentees[np.lexsort((mentees, scan.fit_bound.mentee_class[mentees]))]
    runs = (
        [np.sort(alike[start : start + rows]) for start in range(0, len(alike), rows)]
        if len(f.mentors)
        else []
    )
    mentees = np.concatenate(runs) if runs else mentees
    counts = np.zeros(f.size, dtype=np.int64)
    sizes: list[np.ndarray] = [np.zeros(1 if runs else 1 + len(mentees), np.int64)]
    columns, bounds = _Growing(column_type), _Growing(np.uint16)
    top_values = [np.zeros((0 if runs else len(mentees), width), np.float32)]
    top_columns = [np.zeros((0 if runs else len(mentees), width), column_type)]
    top_bound = np.full((per_mentor, len(f.mentors)), -np.inf, dtype=np.float32)
    top_mentee = np.full((per_mentor, len(f.mentors)), -1, dtype=np.int64)
    with threadpool_limits(limits=1, user_api="blas"):
        for block in _parallel(lambda run: scan.block(run, width, column_type), runs, threads):
            counts[block.mentees] = block.count
            sizes.append(block.sizes)
            columns.extend(block.column)
            bounds.extend(block.bound)
            top_values.append(block.top_value)
            top_columns.append(block.top_column)
            _offer(top_bound, top_mentee, block.column_best, block.column_best_mentee)
    hit = np.isfinite(top_bound)
    return Candidates(
        f,
        w,
        mentees,
        exact(f, w, top_mentee[hit], f.mentors[np.nonzero(hit)[1]]),
        counts,
        np.cumsum(np.concatenate(sizes)),
        columns.done(),
        bounds.done(),
        scan.grid,
        np.concatenate(top_values),
        np.concatenate(top_columns),
        threads,
    )


class _Growing:
    """A 1-d array filled block after block: grown, then trimmed, in place.

    Growing reallocates, which moves an array this large by remapping its pages rather
    than copying them, so the scan's entries (hundreds of MB at 80,000 members) are
    never held twice, as concatenating the blocks at the end would; numpy zero-fills
    the spare part, so it grows by a quarter at a time.
    """

    def __init__(self, dtype: type) -> None:
        self.array: np.ndarray = np.zeros(0, dtype=dtype)
        self.size = 0

    def extend(self, part: np.ndarray) -> None:
        end = self.size + len(part)
        if end > len(self.array):
            self.array.resize(max(end, len(self.array) * 5 // 4), refcheck=False)  # a quarter spare
        self.array[self.size : end] = part
        self.size = end

    def done(self) -> np.ndarray:
        self.array.resize(self.size, refcheck=False)
        return self.array


@dataclass(frozen=True, slots=True)
class _Found:
    """What the scan keeps of one block (see :func:`find_candidates`)."""

    mentees: np.ndarray
    count: np.ndarray  # exact feasible mentors per row
    sizes: np.ndarray  # entries kept per row
    column: np.ndarray
    bound: np.ndarray  # on the scan's grid, rounded up
    top_value: np.ndarray  # (rows, width): each row's highest values, bound plus boost, -inf pads
    top_column: np.ndarray
    column_best: np.ndarray  # per mentor: the block's highest bound (with the waiting boost)
    column_best_mentee: np.ndarray


class _Scan:
    """The per-block work of :func:`find_candidates`."""

    def __init__(self, f: Features, w: Weights, excluded: np.ndarray) -> None:
        self.f, self.w = f, w
        self.fit_bound = FitBound(f, w)
        self.grid = Grid.spanning(w.floor - BOUND_MARGIN, self.fit_bound.highest())
        self.excluded = np.unique(excluded)
        n = f.size
        everyone = np.arange(n)
        managed = f.manager >= 0
        # Pairs the bound knows nothing about: the same person, a manager, history.
        self.special = np.unique(
            np.concatenate(
                [
                    f.history_keys,
                    everyone * n + everyone,
                    everyone[managed] * n + f.manager[managed],
                    f.manager[managed] * n + everyone[managed],
                ]
            )
        )

    def block(self, mentees: np.ndarray, width: int, column_type: type) -> _Found:
        """The scan of ``mentees`` (sorted) x every mentor their time zones and seniority can reach."""
        f, w = self.f, self.w
        reach = self.reachable(mentees)
        local = np.full(f.size, -1, dtype=np.int64)  # a member's column in this block (-1: none)
        local[f.mentors[reach]] = np.arange(len(reach))
        bound = self.fit_bound(mentees, f.mentors[reach])
        rows, cols = self.listed(self.excluded, mentees, local)
        bound[rows, cols] = -np.inf

        sure = bound >= w.floor + BOUND_MARGIN
        count = np.count_nonzero(sure, axis=1)
        finite = np.isfinite(bound)
        sizes = np.count_nonzero(finite, axis=1)
        # The band (bounds near the floor: finite but not surely above it) is empty in most rows.
        banded = np.flatnonzero(sizes > count)
        band_rows, band_cols = np.nonzero(finite[banded] & ~sure[banded])
        band_rows = banded[band_rows]
        rows, cols = self.listed(self.special, mentees, local)
        np.subtract.at(count, rows, sure[rows, cols])
        check_rows, check_cols = _union(bound.shape[1], (band_rows, band_cols), (rows, cols))
        check_rows, check_cols = _finite(bound, check_rows, check_cols)
        feasible = exact(f, w, mentees[check_rows], f.mentors[reach[check_cols]])
        feasible_rows = np.searchsorted(mentees, feasible.mentee)
        count += np.bincount(feasible_rows, minlength=len(count))

        # Values for the auction and the mentors' best pairs: the bound plus the waiting boost, and
        # the exact score where the pair was just scored (the bound knows nothing of history).
        value = bound + (waiting_boost(f, w, mentees) / SCORE_SCALE)[:, None].astype(np.float32)
        value[check_rows, check_cols] = -np.inf
        value[feasible_rows, local[feasible.mentor]] = feasible.score / SCORE_SCALE
        top_value = np.full((len(mentees), width), -np.inf, dtype=np.float32)
        top_column: np.ndarray = np.zeros((len(mentees), width), dtype=column_type)
        some = min(width, len(reach))
        if some:
            best_value, best_column = top_per_row(value, some)
            top_value[:, :some] = best_value
            top_column[:, :some] = np.where(np.isfinite(best_value), reach[best_column], 0)
        column_best = np.full(len(f.mentors), -np.inf, dtype=np.float32)
        column_best_mentee = np.full(len(f.mentors), -1, dtype=np.int64)
        if len(reach):
            best = value.argmax(axis=0)
            column_best[reach] = value[best, np.arange(len(reach))]
            column_best_mentee[reach] = mentees[best]

        kept = np.flatnonzero(finite)  # row-major: row after row
        return _Found(
            mentees,
            count,
            sizes,
            reach[kept % max(1, len(reach))].astype(column_type),
            self.grid.above(bound.ravel()[kept]),
            top_value,
            top_column,
            column_best,
            column_best_mentee,
        )

    def reachable(self, mentees: np.ndarray) -> np.ndarray:
        """Columns of the mentors whose time zone and seniority suit at least one of ``mentees``."""
        fb = self.fit_bound
        suits = np.isfinite(fb.table[np.unique(fb.mentee_class[mentees])]).any(axis=0)
        return np.flatnonzero(suits[fb.mentor_class[self.f.mentors]])

    def listed(
        self, keys: np.ndarray, mentees: np.ndarray, local: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row, block column) of the pairs in sorted ``keys`` within a block of ``mentees``."""
        n = self.f.size
        lo, hi = np.searchsorted(keys, [int(mentees.min()) * n, (int(mentees.max()) + 1) * n])
        mentee, mentor = np.divmod(keys[lo:hi], n)
        row = np.minimum(np.searchsorted(mentees, mentee), len(mentees) - 1)
        col = local[mentor]
        hit = (mentees[row] == mentee) & (col >= 0)
        return row[hit], col[hit]


def _parallel(work: Callable[[T], R], items: Sequence[T], threads: int) -> Iterator[R]:
    """``work(item)`` for each item, in order, on ``threads`` threads."""
    with ThreadPoolExecutor(max(1, threads)) as pool:
        yield from pool.map(work, items)


def _offer(top_value: np.ndarray, top_who: np.ndarray, value: np.ndarray, who: np.ndarray) -> None:
    """In place, per column: the lowest of the kept values gives way to ``value`` when that is higher.

    Keeps each column's ``len(top_value)`` highest values over all offers (earliest first among
    ties) in O(columns) per offer: after the first blocks only a few columns change.
    """
    columns = np.flatnonzero(value > top_value.min(axis=0, initial=np.inf))
    if len(columns) == 0:  # also when nothing is kept (no rows)
        return
    lowest = top_value[:, columns].argmin(axis=0)
    top_value[lowest, columns] = value[columns]
    top_who[lowest, columns] = who[columns]


def _union(width: int, *pairs: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (row, col) of several lists, ordered by row then col."""
    keys = np.unique(np.concatenate([rows.astype(np.int64) * width + cols for rows, cols in pairs]))
    return np.divmod(keys, width)


def _finite(bound: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (row, col) whose bound is not ``-inf``."""
    keep = np.isfinite(bound[rows, cols])
    return rows[keep], cols[keep]


def _isin_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys
