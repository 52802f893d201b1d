"""The rate limits' shared counters: Redis when ``LEADBOOK_REDIS_URL`` is set, else a table
of the database, so every worker and every instance counts in one place."""

from __future__ import annotations

import time
from typing import Any, cast

from limits.storage import RedisStorage, Storage
from sqlalchemy import Engine, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from leadbook.models import RateCounter

_TABLE = cast(Table, RateCounter.__table__)
# each dialect's INSERT with ON CONFLICT (their classes share no base that has it)
_INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DatabaseStorage(Storage):
    """A ``limits`` storage of fixed-window counters in the ``rate_counters`` table.

    Each call is its own short transaction on its own connection, so a count stands even
    when the request that made it rolls back. Expired rows are deleted once a minute.
    """

    STORAGE_SCHEME = None

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._swept = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Adds ``amount`` to the counter of ``key``, starting a window of ``expiry`` seconds
        when none is running; returns the new count."""
        now = time.time()
        expired = _TABLE.c.expires_at <= now
        statement = (
            _INSERTS[self.engine.dialect.name](_TABLE)
            .values(key=key, hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[_TABLE.c.key],
                set_={
                    "hits": case((expired, amount), else_=_TABLE.c.hits + amount),
                    "expires_at": case((expired, now + expiry), else_=_TABLE.c.expires_at),
                },
            )
            .returning(_TABLE.c.hits)
        )
        with self.engine.begin() as conn:
            if now - self._swept > 60:
                self._swept = now
                conn.execute(delete(_TABLE).where(expired))
            return conn.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        """Returns the count of ``key`` in its running window (0 when none runs)."""
        with self.engine.connect() as conn:
            hits = conn.scalar(
                select(_TABLE.c.hits).where(_TABLE.c.key == key, _TABLE.c.expires_at > time.time())
            )
        return hits or 0

    def get_expiry(self, key: str) -> float:
        """Returns when the window of ``key`` ends (seconds since the epoch)."""
        with self.engine.connect() as conn:
            ends = conn.scalar(select(_TABLE.c.expires_at).where(_TABLE.c.key == key))
        return ends or time.time()

    def check(self) -> bool:
        """Returns whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.scalar(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Deletes every counter."""
        with self.engine.begin() as conn:
            return conn.execute(delete(_TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Deletes the counter of ``key``."""
        with self.engine.begin() as conn:
            conn.execute(delete(_TABLE).where(_TABLE.c.key == key))


def storage(redis_url: str, redis_prefix: str, engine: Engine) -> Storage:
    """Returns the counters' store: Redis at ``redis_url`` (keys under ``redis_prefix``), or
    the database of ``engine``."""
    if redis_url:
        return RedisStorage(redis_url, key_prefix=redis_prefix)
    return DatabaseStorage(engine)
