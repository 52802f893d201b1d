"""Request-scoped dependencies shared by the faces: the database session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from leadbook.db import READING, make_reads

T = TypeVar("T")


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


async def read(request: Request, work: Callable[[Session], T]) -> T:
    """Returns ``work(session)``, a read, done in one trip to the thread pool.

    The session's connection is in autocommit (``db.make_reads``: no BEGIN, no COMMIT) and
    taken without a ping: a connection found dead is replaced and the read asked again,
    once. (Tests bind the app's sessions to a connection of their own: reads share it.)
    """
    return await run_in_threadpool(_read, _reads(request.app.state), work)


def _read(factory: Callable[[], Session], work: Callable[[Session], T]) -> T:
    reading = READING.set(True)
    try:
        try:
            with factory() as session:
                return work(session)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        with factory() as session:
            return work(session)
    finally:
        READING.reset(reading)


def _reads(state: Any) -> Callable[[], Session]:
    """The reads' session factory of the app's ``sessionmaker`` (kept while it is the same)."""
    made = getattr(state, "reads", None)
    if made is None or made[0] is not state.sessionmaker:
        bind = getattr(state.sessionmaker, "kw", {}).get("bind")
        factory = make_reads(bind) if isinstance(bind, Engine) else state.sessionmaker
        made = state.reads = (state.sessionmaker, factory)
    return made[1]
