"""Engine and sessions: one session and one transaction per request.

On SQLite a transaction starts as a reader (no lock: reads never wait for writers) and
takes the write lock at its first write, in a fresh snapshot, waiting at most the busy
timeout: what it read before is then as fresh as under PostgreSQL's READ COMMITTED, which
the leads' versions and the counters' locks already guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from psycopg import ClientCursor
from sqlalchemy import Connection, Engine, Select, create_engine, event, exc
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

# a statement run twice on a connection is prepared there (psycopg), and a prepared
# statement keeps one generic plan: a page's statement costs 10-70 ms to plan, and with
# the generic plan JIT would compile it on every execution (seconds), so JIT is off
PREPARE_THRESHOLD = 1
PLANS = "-c plan_cache_mode=force_generic_plan -c jit=off"
# set while a read runs (deps.read): its connection is taken unpinged (it retries once
# on a disconnect instead) and in autocommit (no BEGIN, no COMMIT round trip)
READING: ContextVar[bool] = ContextVar("leadbook_reading", default=False)
AUTOCOMMIT = "AUTOCOMMIT"


def make_engine(url: str, *, busy_timeout: float = 5.0, pool_size: int = 10) -> Engine:
    """Returns an engine for ``url``; SQLite gets foreign keys and WAL. A request waits at
    most ``busy_timeout`` seconds for a lock (SQLite's write lock, PostgreSQL's locks) or
    a free pooled connection."""
    if url.startswith("sqlite"):
        pooled = make_url(url).database not in (None, "", ":memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_timeout},
            **(_pool(busy_timeout, pool_size) if pooled else {}),
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
            # SQLAlchemy, not the driver, starts transactions (below), so SAVEPOINTs nest
            # inside them instead of committing on release (pysqlite's legacy behaviour)
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            if conn.get_execution_options().get("isolation_level") != AUTOCOMMIT:
                conn.exec_driver_sql("BEGIN")

        @event.listens_for(engine, "savepoint")
        def _savepoint(conn: Connection, _name) -> None:
            _write_lock(conn)

        return engine
    engine = create_engine(url, **_postgres(busy_timeout, pool_size))
    event.listen(engine, "checkout", _pinger(engine.dialect))
    event.listen(engine, "do_execute", _planned_for_its_values)
    return engine


def _postgres(busy_timeout: float, pool_size: int) -> dict[str, Any]:
    """The arguments of a PostgreSQL engine: a statement waiting longer for a lock than the
    busy timeout fails ("lock timeout"); the plans of the reads' large statements are kept
    (docs/operations.md, "PostgreSQL")."""
    options = f"-c lock_timeout={max(1, round(busy_timeout * 1000))} {PLANS}"
    connect = {"options": options, "prepare_threshold": PREPARE_THRESHOLD}
    return {"connect_args": connect, **_pool(busy_timeout, pool_size)}


def _pinger(dialect: Dialect) -> Callable[..., None]:
    """Returns SQLAlchemy's pre-ping, for every connection but a read's: a dead connection
    is replaced before a transaction starts on it."""

    def ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if READING.get():
            return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_conn, None):
                raise exc.DisconnectionError() from error
            raise

    return ping


def make_reads(engine: Engine) -> sessionmaker[Session]:
    """Returns the session factory of single-statement reads: in autocommit, so a read
    sends neither BEGIN nor COMMIT (and PostgreSQL keeps its prepared statements)."""
    reads = engine.execution_options(isolation_level=AUTOCOMMIT)
    return sessionmaker(bind=reads, expire_on_commit=False, autoflush=False)


PLANNED_EACH_TIME = "planned_each_time"  # an execution option (make_engine)


def _planned_for_its_values(cursor, statement, parameters, context) -> bool | None:
    """Runs a statement marked ``PLANNED_EACH_TIME`` with its values written in (quoted by
    psycopg, as its client-side cursor binds them) and unprepared: PostgreSQL plans it
    for them, where the connection's generic plan (``PLANS``) cannot tell how few of a
    text search's matches a salesman has, and reads each match's whole lead. One round
    trip: no SET and RESET of the plan mode around it."""
    if not context.execution_options.get(PLANNED_EACH_TIME):
        return None
    written = ClientCursor(cursor.connection).mogrify(statement, parameters)
    cursor.execute(written, prepare=False)
    return True


def pool_share(pool_size: int, max_connections: int, workers: int) -> int:
    """Each worker's pool: ``pool_size``, less when ``workers`` of them would hold more
    than ``max_connections`` in all (at least one)."""
    return max(1, min(pool_size, max_connections // max(1, workers)))


def _pool(timeout: float, size: int) -> dict:
    return {"pool_size": size, "max_overflow": 0, "pool_timeout": timeout}


def _write_lock(conn: Connection) -> None:
    """Turns a session's SQLite read transaction into a writer, once: it ends the read
    transaction (nothing was written yet) and begins one holding the write lock."""
    current = conn.get_transaction()
    if current is None or conn.info.get("reader") is not current:
        return
    conn.info["reader"], conn.info["writer"] = None, current
    conn.exec_driver_sql("COMMIT")
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _writes(state: ORMExecuteState) -> bool:
    statement = state.statement
    return not state.is_select or (
        isinstance(statement, Select) and statement._for_update_arg is not None
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Returns a session factory bound to ``engine``; on SQLite its sessions take the
    write lock at their first write, ``SELECT … FOR UPDATE`` or savepoint."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(factory, "after_begin")
        def _reader(_session, transaction: SessionTransaction, conn: Connection) -> None:
            current = conn.get_transaction()
            if transaction.parent is None and conn.info.get("writer") is not current:
                conn.info["reader"] = current

        @event.listens_for(factory, "do_orm_execute")
        def _statement(state: ORMExecuteState) -> None:
            if _writes(state):
                _write_lock(state.session.connection())

        @event.listens_for(factory, "before_flush")
        def _flush(session: Session, _context, _instances) -> None:
            _write_lock(session.connection())

    return factory


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yields a session whose work commits on success and rolls back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
