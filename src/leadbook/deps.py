"""Request-scoped dependencies shared by the faces: the database session."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def _session(request: Request) -> Iterator[Session]:
    """Yields the request's session; commits when the endpoint returns, rolls back if it raises.

    Scoped to the endpoint function, so the commit happens before the response is sent:
    a client never sees success for a change that was not stored.
    """
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Depends(_session, scope="function")
