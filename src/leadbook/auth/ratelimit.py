"""Per-token rate limit: at most N calls a minute for each token (0 turns it off).

Counted in the serving process (one window per worker), checked where every face
resolves its token, so each face answers a refusal in its own format.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from leadbook.domain.errors import DomainError


class RateLimited(DomainError):
    code = "TOO_MANY_REQUESTS"
    http_status = 429


class Limiter:
    """A sliding one-minute window of call times per key."""

    def __init__(self, per_minute: int = 0) -> None:
        self.per_minute = per_minute
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Counts a call for ``key``, or raises RateLimited when its minute is full."""
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= self.per_minute:
                wait = int(60 - (now - calls[0])) + 1
                raise RateLimited(
                    f"Too many requests: this token may make {self.per_minute} calls a minute; "
                    f"retry in {wait} s"
                )
            calls.append(now)


limiter = Limiter()


def configure(per_minute: int) -> None:
    """Sets the limit of this process (create_app calls it from the settings)."""
    limiter.per_minute = per_minute
    limiter._calls.clear()
