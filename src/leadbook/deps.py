"""Request-scoped dependencies shared by the faces: the database session."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def writing(session: Session) -> None:
    """Takes SQLite's write lock first thing in a transaction that will write.

    SQLite lets one writer at a time; a transaction that read before it writes fails at
    once (SQLITE_BUSY_SNAPSHOT) when another writer committed meanwhile. Starting with a
    write makes concurrent writers queue on the lock instead. PostgreSQL needs nothing.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE counters SET value = value WHERE name = ''"))


def _session(request: Request) -> Iterator[Session]:
    """Yields the request's session; commits when the endpoint returns, rolls back if it raises.

    Scoped to the endpoint function, so the commit happens before the response is sent:
    a client never sees success for a change that was not stored.
    """
    session: Session = request.app.state.sessionmaker()
    try:
        if request.method not in READ_METHODS:
            writing(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Depends(_session, scope="function")


async def _raw_body(request: Request) -> bytes:
    """Reads the whole request body on the event loop (the limits middleware has already
    refused one over the size cap).

    Endpoints that touch the database are plain functions run in the thread pool, given
    the body this way: a database wait (a lock, a slow query) never blocks the event loop.
    """
    return await request.body()


async def _form_fields(request: Request) -> dict[str, str]:
    """Reads an HTML form's fields on the event loop (see _raw_body)."""
    return {key: str(value) for key, value in (await request.form()).items()}


RawBody = Depends(_raw_body)
FormFields = Depends(_form_fields)
