"""Rate limits: how many times a key (an address and what it does) acted in a window.

`SharedRateLimiter` counts in the database, so every process of the app draws on one budget
per client (the web app uses it); `RateLimiter` counts in this process's memory, and stands in
for the database while it cannot be reached. Both count in fixed windows and forget a key
whose window has passed, so neither grows without end.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from bot.core.errors import StoreError

log = logging.getLogger(__name__)

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


class Counts(Protocol):
    """Where hits are counted: the Store (bot/store/rates.py)."""

    def count_hit(self, key: str, window_start: int, expires_at: int) -> int: ...
    def forget_counts(self, now: int) -> int: ...


class SharedRateLimiter:
    """allow(key, limit, window_s) counted in the database: windows aligned on the wall clock
    (every process agrees where one starts), keys stored as hashes."""

    def __init__(self, counts: Counts, clock: Callable[[], float] = time.time) -> None:
        self.counts = counts
        self.clock = clock
        self.local = RateLimiter()  # while the database cannot be reached
        self._swept = 0.0
        self._lock = threading.Lock()

    def allow(self, key: str, limit: int, window_s: float) -> bool:
        now = self.clock()
        window = max(1, int(window_s))
        start = int(now) // window * window
        hashed = hashlib.sha256(key.encode()).hexdigest()
        try:
            self._sweep(now)
            return self.counts.count_hit(hashed, start, start + window) <= limit
        except StoreError as e:
            # A limit is no reason to turn everyone away; this process keeps counting alone.
            log.warning("request counts fall back to this process's memory: %s", e)
            return self.local.allow(key, limit, window_s)

    def _sweep(self, now: float) -> None:
        with self._lock:
            if now - self._swept < SWEEP_EVERY_S:
                return
            self._swept = now
        self.counts.forget_counts(int(now))
