"""The auction that estimates mentor prices: a b-matching within rows x eps of the optimum."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from matching.auction import auction
from matching.bmatching import max_weight_b_matching

EPS = 0.001


def _table(seed: int, rows: int, columns: int, density: float):
    """Random rows of distinct values: a full (rows x columns) matrix with -inf where no entry."""
    rng = np.random.default_rng(seed)
    value = np.where(rng.random((rows, columns)) < density, rng.random((rows, columns)), -np.inf)
    capacity = rng.integers(0, 3, columns)
    return value.astype(np.float32), capacity


def _run(
    value: np.ndarray,
    capacity: np.ndarray,
    width: int,
    stay_out: bool,
    max_rounds: int = 1_000,
    reads: list[int] | None = None,
):
    """The auction on each row's ``width`` highest entries, reading whole rows from ``value``
    (and counting them in ``reads``)."""
    order = np.argsort(-value, axis=1, kind="stable")
    top = order[:, :width]
    sizes = np.isfinite(value).sum(axis=1)

    def whole_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if reads is not None:
            reads.append(len(rows))
        columns = [np.flatnonzero(np.isfinite(value[r])) for r in rows]
        joined = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        return joined, value[np.repeat(rows, [len(c) for c in columns]), joined]

    return auction(
        np.take_along_axis(value, top, axis=1), top, capacity, sizes, whole_rows, EPS, stay_out, max_rounds
    )


def _optimum(value: np.ndarray, capacity: np.ndarray, maxcardinality: bool) -> tuple[int, float]:
    G = nx.Graph()
    G.add_nodes_from((("r", i), {"bipartite": 0}) for i in range(len(value)))
    G.add_nodes_from((("c", j), {"bipartite": 1, "capacity": int(c)}) for j, c in enumerate(capacity))
    for i, j in zip(*np.nonzero(np.isfinite(value)), strict=True):
        if capacity[j] > 0:
            G.add_edge(("r", i), ("c", j), weight=round(float(value[i, j]) * 10**6))
    best = max_weight_b_matching(G, maxcardinality=maxcardinality)
    return len(best), sum(G.edges[e]["weight"] for e in best) / 10**6


def _check_b_matching(value: np.ndarray, capacity: np.ndarray, holds: np.ndarray) -> None:
    held = np.flatnonzero(holds >= 0)
    assert np.isfinite(value[held, holds[held]]).all()
    assert (np.bincount(holds[held], minlength=len(capacity)) <= capacity).all()


@pytest.mark.parametrize("seed", range(12))
def test_best_score_auction_is_within_rows_times_eps_of_the_optimum(seed):
    value, capacity = _table(seed, 40, 25, 0.3)
    result = _run(value, capacity, value.shape[1], stay_out=True)
    assert result.settled
    _check_b_matching(value, capacity, result.holds)
    held = np.flatnonzero(result.holds >= 0)
    total = float(value[held, result.holds[held]].sum())
    _, best = _optimum(value, capacity, maxcardinality=False)
    assert best - len(value) * EPS - 1e-4 <= total <= best + 1e-4


@pytest.mark.parametrize("seed", range(12))
def test_assigned_rows_are_within_eps_of_their_best_at_the_final_prices(seed):
    value, capacity = _table(seed, 40, 25, 0.3)
    for stay_out in (True, False):
        result = _run(value, capacity, value.shape[1], stay_out)
        _check_b_matching(value, capacity, result.holds)
        net = value - result.price[None, :]
        assert np.allclose(result.profit, net.max(axis=1), atol=1e-6)
        held = np.flatnonzero(result.holds >= 0)
        if result.settled:
            assert (net[held, result.holds[held]] >= result.profit[held] - EPS - 1e-5).all()
        if not stay_out and result.settled:  # every row with a column got one: the most matched
            assert len(held) == _optimum(value, capacity, maxcardinality=True)[0]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("width", [2, 5])
@pytest.mark.parametrize("stay_out", [True, False])
def test_keeping_a_few_entries_per_row_gives_the_same_prices_as_keeping_all(seed, width, stay_out):
    """Rows read in full only when their kept entries may no longer hold their best two."""
    value, capacity = _table(100 + seed, 30, 20, 0.6)
    reads: list[int] = []
    narrow = _run(value, capacity, width, stay_out, max_rounds=80, reads=reads)
    wide = _run(value, capacity, value.shape[1], stay_out, max_rounds=80)
    assert sum(reads) > 0  # prices did push rows past their kept entries
    assert narrow.rounds == wide.rounds
    assert np.array_equal(narrow.holds, wide.holds)
    assert np.array_equal(narrow.price, wide.price)
    assert np.array_equal(narrow.profit, wide.profit)


def test_one_kept_entry_is_refused_when_rows_have_more():
    value, capacity = _table(0, 4, 3, 1.0)
    with pytest.raises(ValueError, match="two entries"):
        _run(value, capacity, 1, stay_out=False)


def test_rows_that_cannot_all_be_placed_give_up_instead_of_bidding_forever():
    """Forty rows, three places: without giving up, prices would climb until max_rounds."""
    rng = np.random.default_rng(7)
    value = rng.random((40, 6)).astype(np.float32)
    capacity = np.array([1, 0, 1, 0, 1, 0])
    result = _run(value, capacity, 6, stay_out=False, max_rounds=10_000)
    assert result.settled
    assert result.rounds < 1_000
    assert (result.holds >= 0).sum() == 3
    assert (result.price[capacity > 0] > 1).all()  # the losers bid up to a whole score over their value
