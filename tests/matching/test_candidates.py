"""The scan's small pieces: per-row top values (also the auction's), per-mentor best pairs, the
bound grid."""

from __future__ import annotations

import numpy as np
import pytest

from matching.candidates import Grid, _Growing, _offer
from matching.groups import top_per_row


@pytest.mark.parametrize("seed", range(12))
def test_top_per_row_keeps_exactly_each_rows_highest_values(seed):
    rng = np.random.default_rng(seed)
    rows, columns = int(rng.integers(1, 30)), int(rng.integers(1, 400))
    # Few distinct levels (ties at the cut) and many -inf (rows shorter than k).
    levels = rng.integers(0, 6, (rows, columns)).astype(np.float32)
    value = np.where(rng.random((rows, columns)) < rng.random(), levels, -np.inf).astype(np.float32)
    k = int(rng.integers(1, columns + 1))

    top_value, top_column = top_per_row(value, k)

    expected = -np.sort(-value, axis=1)[:, :k]
    assert np.array_equal(-np.sort(-top_value, axis=1), expected)
    finite = np.isfinite(top_value)
    here = np.take_along_axis(value, top_column, axis=1)
    assert np.array_equal(here[finite], top_value[finite])
    # No entry is taken twice.
    for r in range(rows):
        assert len(set(top_column[r, finite[r]].tolist())) == finite[r].sum()


def test_top_per_row_uses_the_sample_bound_when_rows_are_long():
    # 1,000 columns, k = 10: every fourth column gives 250 samples, so the bound is finite
    # and most entries are skipped; the answer is still the exact top 10.
    rng = np.random.default_rng(1)
    value = rng.random((5, 1_000)).astype(np.float32)
    top_value, _ = top_per_row(value, 10)
    assert np.array_equal(-np.sort(-top_value, axis=1), -np.sort(-value, axis=1)[:, :10])


def test_offers_keep_each_columns_highest_values():
    rng = np.random.default_rng(2)
    k, columns, offers = 3, 50, 40
    offered = np.where(rng.random((offers, columns)) < 0.6, rng.integers(0, 8, (offers, columns)), -np.inf)
    top_value = np.full((k, columns), -np.inf, dtype=np.float32)
    top_who = np.full((k, columns), -1, dtype=np.int64)
    for who, row in enumerate(offered.astype(np.float32)):
        _offer(top_value, top_who, row, np.full(columns, who))
    assert np.array_equal(np.sort(top_value, axis=0), np.sort(offered, axis=0)[-k:].astype(np.float32))
    held = np.isfinite(top_value)
    assert np.array_equal(offered[top_who[held], np.nonzero(held)[1]], top_value[held])


def test_nothing_is_offered_to_no_kept_rows():
    top_value = np.zeros((0, 4), dtype=np.float32)
    top_who = np.zeros((0, 4), dtype=np.int64)
    _offer(top_value, top_who, np.ones(4, dtype=np.float32), np.arange(4))
    assert top_value.shape == (0, 4)


def test_the_grid_rounds_every_bound_up_by_at_most_two_steps():
    grid = Grid.spanning(0.2499, 1.05)
    rng = np.random.default_rng(3)
    bound = rng.uniform(0.2499, 1.05, 200_000).astype(np.float32)
    bound[:3] = [0.2499, 1.05, np.nextafter(np.float32(0.2499), np.float32(1))]
    back = grid.value(grid.above(bound))
    assert (back >= bound).all()
    assert (back - bound <= 2 * grid.step + 1e-6).all()


def test_a_growing_array_holds_every_part_in_order():
    rng = np.random.default_rng(4)
    parts = [rng.integers(0, 60_000, int(rng.integers(0, 500))).astype(np.uint16) for _ in range(60)]
    growing = _Growing(np.uint16)
    for part in parts:
        growing.extend(part)
    done = growing.done()
    assert done.dtype == np.uint16 and np.array_equal(done, np.concatenate(parts))
