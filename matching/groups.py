"""Per-group selection on flat numpy arrays, shared by the scan's pricing and the auction."""

from __future__ import annotations

import numpy as np


def first_per_group(group: np.ndarray, keys: tuple[np.ndarray, ...], k: int | np.ndarray) -> np.ndarray:
    """Indices of each group's ``k`` first entries, ordered by ``keys`` (the last one first).

    ``k`` is one number for every group, or an array giving group ``g`` its own
    ``k[g]``. O(n log n): one lexsort.
    """
    order = np.lexsort((*keys, group))
    sorted_group = group[order]
    start = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]]) if len(order) else order
    rank = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
    limit = k[sorted_group] if isinstance(k, np.ndarray) else k
    return order[rank < limit]
