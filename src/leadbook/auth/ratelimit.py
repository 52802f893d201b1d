"""The rate limits, counted in the shared store (``leadbook.auth.counters``) in fixed windows.

- requests: at most ``rate_limit_per_minute`` a minute per client (0 = off), counted by the
  limits middleware (``leadbook.limits``);
- failed logins: at most ``login_failures_per_user`` per user name and
  ``login_failures_per_address`` per network address; a blocked name or address is refused
  before its credentials are checked (``leadbook.auth.guesses``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from leadbook.domain.errors import DomainError


class TooManyRequests(DomainError):
    code = "TOO_MANY_REQUESTS"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CountersUnavailable(TooManyRequests):
    """The shared store cannot be reached (Redis down): nothing can be counted, so nothing is
    let through; answered 503 with Retry-After, in the face's format, like a full window."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503


def digest(secret: str) -> str:
    """Names a client by a digest of what it showed (a token, a user name), never the text."""
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


class Limiters:
    """The request and failed-login limits over one store."""

    def __init__(self, store: Storage, *, per_minute: int, per_user: str, per_address: str) -> None:
        self.store = store
        self.strategy = FixedWindowRateLimiter(store)
        self.requests = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        self.per_user: RateLimitItem = parse(per_user)
        self.per_address: RateLimitItem = parse(per_address)

    @contextmanager
    def _counting(self) -> Iterator[None]:
        """Turns the store's own failures (Redis unreachable) into CountersUnavailable."""
        try:
            yield
        except self.store.base_exceptions as exc:
            raise CountersUnavailable(
                f"The rate limits' counters cannot be reached ({type(exc).__name__}); "
                "retry in a moment",
                1,
            ) from exc

    def hit_request(self, client: str) -> None:
        """Counts a request of ``client``, or raises TooManyRequests when its minute is full."""
        if self.requests is None:
            return
        with self._counting():
            allowed = self.strategy.hit(self.requests, client)
        if not allowed:
            wait = self._wait(self.requests, client)
            raise TooManyRequests(
                f"Too many requests: at most {self.requests.amount} a minute from one client; "
                f"retry in {wait} s",
                wait,
            )

    def hit(self, limit: str, what: str, *keys: str) -> None:
        """Counts a hit of ``keys`` against ``limit`` ("N per M minutes"), or raises
        TooManyRequests naming ``what`` when its window is full."""
        item = parse(limit)
        with self._counting():
            allowed = self.strategy.hit(item, *keys)
        if not allowed:
            wait = self._wait(item, *keys)
            raise TooManyRequests(f"Too many {what}: at most {item}; retry in {wait} s", wait)

    def _failure_keys(self, username: str | None, address: str):
        yield self.per_address, "address", address
        if username:
            yield self.per_user, "user", digest(username)

    def check_login(self, username: str | None, address: str) -> None:
        """Raises TooManyRequests when ``username`` or ``address`` failed too often lately."""
        for item, kind, key in self._failure_keys(username, address):
            with self._counting():
                allowed = self.strategy.test(item, "failed", kind, key)
            if not allowed:
                wait = self._wait(item, "failed", kind, key)
                raise TooManyRequests(
                    f"Too many failed logins for this {kind}: at most {item}; retry in {wait} s",
                    wait,
                )

    def fail_login(self, username: str | None, address: str) -> None:
        """Counts a failed login of ``username`` (None: a token or key) from ``address``."""
        for item, kind, key in self._failure_keys(username, address):
            with self._counting():
                self.strategy.hit(item, "failed", kind, key)

    def _wait(self, item: RateLimitItem, *keys: str) -> int:
        with self._counting():
            reset = self.strategy.get_window_stats(item, *keys).reset_time
        return max(1, int(reset - time.time()) + 1)
