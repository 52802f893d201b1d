"""Password hashing with argon2id."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from leadbook.config import get_settings

# a hash records its own parameters, so a cheap test hash verifies cheaply under any setting
_COSTS = {"production": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}


@lru_cache
def _hasher() -> PasswordHasher:
    cost = get_settings().password_hash_cost
    if cost not in _COSTS:
        raise ValueError(f"LEADBOOK_PASSWORD_HASH_COST must be one of {sorted(_COSTS)}: {cost!r}")
    return PasswordHasher.from_parameters(_COSTS[cost])


def hash_password(password: str) -> str:
    """Returns an argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Returns whether ``password`` matches ``password_hash``."""
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
