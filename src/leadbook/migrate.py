"""Schema migrations: Alembic, configured in code so an installed package can migrate.

One migration at a time per database: ``exclusive`` holds PostgreSQL's advisory lock (or,
on SQLite, a lock on a file beside the database) while a ``leadbook migrate`` runs, so a
second one waits, then finds the schema at head. ``problem`` says why a database cannot be
served (missing, or not at the newest revision), without creating an SQLite file.
Alembic is imported when first needed: a server's workers start without it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# PostgreSQL advisory lock key of `leadbook migrate` (any constant bigint, ours: "LEADBOOK")
LOCK_KEY = int.from_bytes(b"LEADBOOK") & 0x7FFF_FFFF_FFFF_FFFF
RUN_MIGRATE = "run `leadbook migrate`"


class MigrationRefused(Exception):
    """A migration that the stored data does not allow; its message says what to fix."""


def alembic_config(url: str) -> Config:
    """Returns an Alembic config pointing at the packaged migrations and ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Brings the database at ``url`` up to ``revision``."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


@lru_cache
def head() -> str:
    """The newest revision of the packaged migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def revision(conn: Connection) -> str | None:
    """The revision the database on ``conn`` is at (None: never migrated)."""
    from alembic.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    return heads[0] if heads else None


def schema_problem(conn: Connection) -> str | None:
    """Why the schema on ``conn`` is not the one this version needs, or None."""
    current = revision(conn)
    if current == head():
        return None
    if current is None:
        return f"the database has no Leadbook schema: {RUN_MIGRATE}"
    return f"the database schema is at {current}, this version needs {head()}: {RUN_MIGRATE}"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite database URL (None: not SQLite, or in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def problem(url: str) -> str | None:
    """Why the database at ``url`` cannot be served: missing, unreachable or not at head."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return f"there is no database file {path}: {RUN_MIGRATE} to create it"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return schema_problem(conn)
    except SQLAlchemyError as exc:
        return f"the database cannot be reached: {str(exc).strip().splitlines()[0]}"
    finally:
        engine.dispose()


@contextmanager
def exclusive(url: str) -> Iterator[None]:
    """Holds the migration lock of the database at ``url``: other holders wait."""
    path = sqlite_file(url)
    if path is not None:
        with open(path.with_name(path.name + ".migrate-lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        return
    if make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()
