"""Failed logins of the request being served: checked before, counted after.

The limits middleware opens an ``Attempt`` for each request (its limiters and the client's
address). Every credential check (a password, a token, a web API key) calls ``check``
first, which refuses a user name or address that failed too often, and ``failed`` when the
credentials are wrong. The middleware stores the failures once the route's transaction has
ended and before the answer leaves (SQLite lets one writer at a time: counting from inside
the route's write transaction would wait on itself). Outside a request (the CLI, domain
tests) nothing is checked or counted.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field

from leadbook.auth.ratelimit import CountersUnavailable, Limiters, TooManyRequests

log = logging.getLogger(__name__)


@dataclass
class Attempt:
    """What one request tried: its failed user names (None for a token or key)."""

    limiters: Limiters
    address: str
    failures: list[str | None] = field(default_factory=list)
    retry_after: int = 0

    def store(self) -> None:
        """Counts the request's failures in the shared store. A store that went away since
        the request's check cannot count them: the answer (a refusal) still goes out, and the
        next check answers 503 until the store is back."""
        try:
            for username in self.failures:
                self.limiters.fail_login(username, self.address)
        except CountersUnavailable as exc:
            log.warning("Failed logins not counted: %s", exc.message)


current: ContextVar[Attempt | None] = ContextVar("leadbook_attempt", default=None)


def check(username: str | None = None) -> None:
    """Refuses (TooManyRequests) when ``username`` or the request's address failed too often."""
    attempt = current.get()
    if attempt is not None:
        try:
            attempt.limiters.check_login(username, attempt.address)
        except TooManyRequests as refusal:
            attempt.retry_after = refusal.retry_after
            raise


def failed(username: str | None = None) -> None:
    """Notes a failed login of ``username`` (None: a token or key) for the middleware to count."""
    attempt = current.get()
    if attempt is not None:
        attempt.failures.append(username)
