"""Groups and spans on flat numpy arrays, shared by the scan, the auction and the certificate."""

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


def spans(first: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The indices ``first[i], ..., first[i] + sizes[i] - 1`` of every span, one span after another.

    How a few rows of a CSR layout are read at once. O(total size).
    """
    return np.arange(sizes.sum()) + np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
