"""Shared working hours between time zones.

Offsets are taken at one instant (the round's date) so daylight-saving time is
honoured: London and New York share three working hours (9-17 local) most of the
year, and four in the weeks between the two countries' daylight-saving switches.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np


def utc_offset_hours(tz: str, at: datetime) -> float:
    """UTC offset of ``tz`` at the aware instant ``at``, in hours."""
    offset = at.astimezone(ZoneInfo(tz)).utcoffset()
    assert offset is not None  # a ZoneInfo always yields an offset
    return offset.total_seconds() / 3600.0


def overlap_hours(offsets_a: np.ndarray, offsets_b: np.ndarray, start: float, end: float) -> np.ndarray:
    """Hours during which both people are inside their local working day.

    Broadcasts over ``offsets_a`` and ``offsets_b`` (UTC offsets in hours). Each
    workday is an interval on the UTC clock; the other one is compared shifted by
    a day either way because offsets span 26 hours (UTC-12 to UTC+14): without it,
    Auckland and Honolulu would look a whole day apart instead of two hours.
    """
    a0 = start - np.asarray(offsets_a, dtype=float)
    b0 = start - np.asarray(offsets_b, dtype=float)
    length = end - start
    best = np.zeros(np.broadcast_shapes(a0.shape, b0.shape))
    for shift in (-24.0, 0.0, 24.0):
        lo = np.maximum(a0, b0 + shift)
        hi = np.minimum(a0 + length, b0 + shift + length)
        best = np.maximum(best, hi - lo)
    return best
