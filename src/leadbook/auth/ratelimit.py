"""Rate limits: a sliding one-minute window per key, and the per-token limit.

The per-token limit (N calls a minute for each token, 0 turns it off) is counted in the
serving process (one window per worker), where every face resolves its token, so each face
answers a refusal in its own format. The limits middleware counts every request in a
window of its own (see ``leadbook.limits``).
"""

from __future__ import annotations

import threading
import time
from collections import deque

from leadbook.domain.errors import DomainError


class TooManyRequests(DomainError):
    code = "TOO_MANY_REQUESTS"
    http_status = 429


class Window:
    """A sliding one-minute window of request times per client key."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Counts a request of ``key``; returns 0, or the seconds to wait when refused."""
        now = self.clock()
        with self._lock:
            if len(self._calls) > 10_000:
                self._forget_idle(now)
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= self.per_minute:
                return int(60 - (now - calls[0])) + 1
            calls.append(now)
            return 0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, calls in self._calls.items() if not calls or calls[-1] <= now - 60]:
            del self._calls[key]


_tokens: Window | None = None


def configure(per_minute: int) -> None:
    """Sets the per-token limit of this process (create_app calls it from the settings)."""
    global _tokens
    _tokens = Window(per_minute) if per_minute > 0 else None


def hit_token(key: str) -> None:
    """Counts a call with the token ``key``, or raises TooManyRequests when its minute is full."""
    wait = _tokens.hit(key) if _tokens is not None else 0
    if wait and _tokens is not None:
        raise TooManyRequests(
            f"Too many requests: this token may make {_tokens.per_minute} calls a minute; "
            f"retry in {wait} s"
        )
