"""Rate limits: how many times a key (an address and what it does) acted in a window.

Counted in memory, per process, in fixed windows; a key whose window has passed is dropped at
the next sweep, so the table holds only who acted recently (it never grows without end).
"""

from __future__ import annotations

import threading
import time

SWEEP_EVERY_S = 30.0


class RateLimiter:
    """allow(key, limit, window_s): True for the first `limit` calls of a key in a window."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[float, int, float]] = {}  # key -> (start, calls, window)
        self._lock = threading.Lock()
        self._swept = time.monotonic()

    def allow(self, key: str, limit: int, window_s: float) -> bool:
        now = time.monotonic()
        with self._lock:
            self._sweep(now)
            start, calls, _ = self._counts.get(key, (now, 0, window_s))
            if now - start >= window_s:
                start, calls = now, 0
            if calls >= limit:
                return False
            self._counts[key] = (start, calls + 1, window_s)
            return True

    def _sweep(self, now: float) -> None:
        if now - self._swept < SWEEP_EVERY_S:
            return
        self._swept = now
        over = [k for k, (start, _, window) in self._counts.items() if now - start >= window]
        for key in over:
            del self._counts[key]

    def __len__(self) -> int:
        return len(self._counts)
