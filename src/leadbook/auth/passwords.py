"""Password hashing with argon2id: a bounded number of hashes at once, a dummy hash for
unknown users, and recent successes remembered briefly.

HTTP Basic clients send their password with every call; a full argon2 check each time
costs hundreds of milliseconds and tens of MB. A successful check is remembered for
``password_cache_seconds`` under a keyed hash (HMAC with a key made at start, never
stored) of the stored hash and the password, so a changed password never matches an old
entry and the password itself is never kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from cachetools import TTLCache

from leadbook.config import get_settings

# a hash records its own parameters, so a cheap test hash verifies cheaply under any setting
_COSTS = {"production": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
_KEY = secrets.token_bytes(32)
_lock = threading.Lock()


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(_COSTS[get_settings().password_hash_cost])


@lru_cache
def _slots() -> threading.BoundedSemaphore:
    """Bounds the argon2 computations running at once (each takes its memory cost)."""
    return threading.BoundedSemaphore(get_settings().password_hash_concurrency)


@lru_cache
def _recent() -> TTLCache:
    return TTLCache(maxsize=10_000, ttl=max(get_settings().password_cache_seconds, 1e-9))


@lru_cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown users so they take as long."""
    return hash_password(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """Returns an argon2id hash of ``password``."""
    with _slots():
        return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Returns whether ``password`` matches ``password_hash``; None (an unknown user) is
    checked against a dummy hash, and is never a match."""
    if not password_hash:
        _check(_dummy_hash(), password)
        return False
    known = hmac.new(_KEY, f"{password_hash}\0{password}".encode(), hashlib.sha256).digest()
    with _lock:
        if known in _recent():
            return True
    if not _check(password_hash, password):
        return False
    if get_settings().password_cache_seconds > 0:
        with _lock:
            _recent()[known] = True
    return True


def _check(password_hash: str, password: str) -> bool:
    try:
        with _slots():
            return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
