"""Estimated mentor prices for a round, by a forward auction on the scan's fit bounds.

The exact solve (:mod:`matching.bmatching`) needs a starting graph that already
holds the optimum, and potentials that prove it over every feasible pair; a
mentee's few highest-scoring mentors are not enough, because popular mentors fill
up and a fifth of the mentees end up far down their own lists. Prices say who is
popular: :func:`auction` finds them, and the engine picks each mentee's pairs by
score *minus* price and starts the certificate's potentials from the prices.

Objective
---------
Rows (mentees) bid for columns (mentors, each with a ``capacity``) to maximise
the total ``value`` of a b-matching; with ``stay_out`` a row may also prefer no
column at all (value 0), else every row keeps bidding while it has a column.

Method
------
Bertsekas' forward auction, Jacobi style (every unassigned row bids in the same
round, with numpy): a row bids for its best column ``j`` (highest value minus
price) the price plus the margin over its second best plus ``eps``; each column
keeps its ``capacity`` highest bids, and its price is the lowest bid it keeps once
it is full. Rows are held as their ``width`` highest values (the scan keeps
those); a row is read in full through ``whole_rows`` only when its best two no
longer lie among them (everything outside is worth at most the row's lowest kept
value, and prices are never negative).

Guarantees
----------
When no row is left bidding (``settled``), every assigned row's value minus price
is within ``eps`` of its best over its *whole* row (eps-complementary slackness),
so the assignment's total is within ``rows * eps`` of the optimum of these values
and the prices are near-optimal duals. Rows that cannot all be placed would outbid
each other for ever: a row gives up once every column costs more than
``MAX_RAISE`` above its value (with ``stay_out``, once none is worth its price),
and after ``max_rounds`` rounds the prices are returned as they stand. Either
way they are only an estimate: the engine's exactness never rests on them
(:mod:`matching.engine`).

Complexity
----------
Each round costs O(bidders * width + entries of the rows read in full + bidders
log bidders); the number of rounds grows like (value range) / eps and is capped
by ``max_rounds``. Memory is O(rows * width).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matching.groups import first_per_group, spans, top_per_row

#: A bid never rises by more than this over the price (when a row has one column left, or
#: ``stay_out`` is off): enough to outbid any difference of scores.
MAX_RAISE = np.float32(1.0)

#: ``whole_rows(rows)`` -> every entry's column and value, row after row.
WholeRows = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
#: Rows read in full at once are padded to the longest: this many cells (about 80 MB of temporaries).
REFRESH_CELLS = 4_000_000


@dataclass(frozen=True, slots=True)
class Auction:
    """Prices per column, the column each row holds (-1: none), and each row's best value minus price."""

    price: np.ndarray
    holds: np.ndarray
    profit: np.ndarray
    rounds: int
    settled: bool


def auction(
    value: np.ndarray,
    column: np.ndarray,
    capacity: np.ndarray,
    sizes: np.ndarray,
    whole_rows: WholeRows,
    eps: float,
    stay_out: bool = False,
    max_rounds: int = 1_000,
) -> Auction:
    """Auction prices for the b-matching whose rows are ``value``/``column`` (module docstring).

    ``value`` and ``column`` are ``(rows, width)``: each row's highest values and
    their columns (``-inf`` pads a short row). ``sizes[r]`` is the number of
    entries of row ``r`` in all; ``whole_rows(rows)`` gives every entry of these
    rows, row after row, as columns and values. A row needs two kept entries to
    show its best two, so ``width`` is at least 2 unless no row has more entries.
    """
    n_rows = value.shape[0]
    if value.shape[1] == 1 and (np.asarray(sizes) > 1).any():
        raise ValueError("keep at least two entries per row, or every entry")
    if value.shape[1] == 0:  # no columns at all
        none = np.full(n_rows, -1, dtype=np.int64)
        return Auction(np.zeros(len(capacity), np.float32), none, np.full(n_rows, -np.inf), 0, True)
    capacity = np.asarray(capacity, dtype=np.int64)
    table = _Rows(value, column, sizes, whole_rows)
    price = np.where(capacity > 0, 0, np.inf).astype(np.float32)  # a full column is never bid for
    holds = np.full(n_rows, -1, dtype=np.int64)
    held_bid = np.zeros(n_rows, dtype=np.float32)
    bidders = np.flatnonzero(np.isfinite(value.max(axis=1)))
    rounds = 0
    while len(bidders) and rounds < max_rounds:
        rounds += 1
        target, best, second = table.best_two(price, bidders)
        # A row stops when no column is worth its price (stay_out), or, when it never stays out, once
        # every column costs more than a whole MAX_RAISE above its value: rows that cannot all be
        # placed would otherwise outbid each other round after round.
        keen = best > (0 if stay_out else -MAX_RAISE)
        bidders, target, best, second = bidders[keen], target[keen], best[keen], second[keen]
        if stay_out:
            second = np.maximum(second, 0)
        second = np.maximum(second, best - MAX_RAISE)
        bids = price[target] + (best - second) + np.float32(eps)
        bidders = _award(holds, held_bid, price, capacity, bidders, target, bids)
    profit = table.best_two(price, np.arange(n_rows))[1]
    return Auction(price, holds, profit, rounds, settled=len(bidders) == 0)


class _Rows:
    """Each row's kept entries: its ``width`` best by value minus price when last read in full.

    ``cutoff[r]`` is the lowest value minus price among row ``r``'s kept entries
    when they were chosen (``-inf``: the row has no other). Prices only rise, so no
    entry left out can be worth more than that now: while a row's best two are at
    or above its cutoff they are its best two overall, and once they fall below it
    the row is read in full again and its entries chosen afresh.
    """

    def __init__(self, value: np.ndarray, column: np.ndarray, sizes: np.ndarray, whole_rows: WholeRows):
        self.value = value.astype(np.float32)
        self.column = column.astype(np.int64)
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.cutoff = np.where(self.sizes <= value.shape[1], -np.inf, self.value.min(axis=1)).astype(
            np.float32
        )
        self.whole_rows = whole_rows

    def best_two(self, price: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: the best column, and the best and second-best value minus price over the whole row."""
        target, best, second = self._kept_best_two(price, rows)
        stale = np.flatnonzero(second < self.cutoff[rows])
        if len(stale):
            self._refresh(price, rows[stale])
            target[stale], best[stale], second[stale] = self._kept_best_two(price, rows[stale])
        return target, best, second

    def _kept_best_two(
        self, price: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        net = self.value[rows] - price[self.column[rows]]
        at = np.arange(len(rows))
        first = net.argmax(axis=1)
        target, best = self.column[rows, first], net[at, first]
        net[at, first] = -np.inf
        return target, best, net.max(axis=1)

    def _refresh(self, price: np.ndarray, rows: np.ndarray) -> None:
        """Read these rows in full and keep each one's ``width`` best by value minus price now."""
        width = self.value.shape[1]
        for chunk in _chunks(rows, self.sizes):
            sizes = self.sizes[chunk]
            columns, values = self.whole_rows(chunk)
            starts = np.cumsum(sizes) - sizes
            longest = max(width, int(sizes.max()))
            # Row after row, padded to the longest: entry k of row r sits at r * longest + k.
            padded = spans(np.arange(len(chunk)) * longest, sizes)
            net = np.full(len(chunk) * longest, -np.inf, dtype=np.float32)
            net[padded] = values - price[columns]
            net = net.reshape(len(chunk), longest)
            kept_net, keep = top_per_row(net, width)
            real = np.isfinite(kept_net)  # not padding, nor a column nobody may take (infinite price)
            entry = np.where(real, starts[:, None] + keep, 0)
            self.value[chunk] = np.where(real, values[entry], -np.inf)
            self.column[chunk] = np.where(real, columns[entry], 0)
            self.cutoff[chunk] = np.where(sizes > width, kept_net.min(axis=1), -np.inf)


def _chunks(rows: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """``rows``, shortest first, in runs whose padded ``rows x longest`` stays within ``REFRESH_CELLS``."""
    rows = rows[np.argsort(sizes[rows], kind="stable")]
    longest = sizes[rows].tolist()
    runs, start = [], 0
    for stop in range(1, len(rows) + 1):
        if stop == len(rows) or (stop + 1 - start) * longest[stop] > REFRESH_CELLS:
            runs.append(rows[start:stop])
            start = stop
    return runs


def _award(
    holds: np.ndarray,
    held_bid: np.ndarray,
    price: np.ndarray,
    capacity: np.ndarray,
    bidders: np.ndarray,
    target: np.ndarray,
    bids: np.ndarray,
) -> np.ndarray:
    """Each bid-for column keeps its ``capacity`` highest bids (old and new); update in place.

    Returns the rows that lost (outbid holders and bidders).
    """
    wanted = np.zeros(len(capacity), dtype=bool)
    wanted[target] = True
    holders = np.flatnonzero(holds >= 0)
    holders = holders[wanted[holds[holders]]]
    rows = np.r_[holders, bidders]
    columns = np.r_[holds[holders], target]
    amounts = np.r_[held_bid[holders], bids]
    kept = np.zeros(len(rows), dtype=bool)
    kept[first_per_group(columns, (-amounts,), capacity)] = True
    holds[rows[~kept]] = -1
    holds[rows[kept]] = columns[kept]
    held_bid[rows[kept]] = amounts[kept]
    # A full column's price is the lowest bid it keeps.
    lowest = np.full(len(capacity), np.inf, dtype=np.float32)
    np.minimum.at(lowest, columns[kept], amounts[kept])
    full = wanted & (np.bincount(columns[kept], minlength=len(capacity)) >= capacity)
    price[full] = lowest[full]
    lost = np.flatnonzero(~kept)
    return rows[lost[np.lexsort((-amounts[lost], columns[lost]))]]  # by column, highest bid first
