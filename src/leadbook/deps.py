"""Request-scoped dependencies shared by the faces: the database session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool


async def _session(request: Request) -> AsyncIterator[Session]:
    """Yields the request's session; commits when the endpoint returns, rolls back if it raises.

    Scoped to the endpoint function, so the commit happens before the response is sent:
    a client never sees success for a change that was not stored. On SQLite the write lock
    is taken at the first write (see leadbook.db), so authentication never holds it.

    Made on the event loop (a session connects at its first statement) and ended in one trip
    to the thread pool, shielded from a client that hangs up: a request's database work
    costs the thread hops of its preamble and its endpoint, plus this one (README,
    Performance).
    """
    session: Session = request.app.state.sessionmaker()
    done = False
    try:
        yield session
        done = True
    finally:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_end, session, done)


def _end(session: Session, done: bool) -> None:
    """Commits ``session`` when its endpoint is ``done``, else rolls it back; closes it."""
    try:
        if done:
            session.commit()
        else:
            session.rollback()
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
