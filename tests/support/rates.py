"""How a platform counts a sender's rate: messages in any one second, sliding."""

from __future__ import annotations

from collections.abc import Iterable


def busiest_second(moments: Iterable[float]) -> int:
    """The most of `moments` (seconds) that fall within any one second."""
    times = sorted(moments)
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best
