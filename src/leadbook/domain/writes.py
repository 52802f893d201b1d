"""How every write to a lead is made: flushed once, stamped, a stale write turned into Conflict."""

from __future__ import annotations

import functools

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from leadbook import models as m
from leadbook.domain import clock
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict

ATTEMPTS = 2  # an optimistic write, then once more on the leads locked
STALE = "The lead was changed by someone else meanwhile; read it and retry"


def guarded(function):
    """Runs a write with autoflush off (the change is flushed once, when complete, so the
    lead's version moves by one) and turns a stale or clashing write into Conflict.

    A write given no ``expected_version`` asked for no optimistic check: when it loses a
    race it is undone to its savepoint and made once more on its leads as now stored,
    locked (``FOR UPDATE``; SQLite's write lock) so no other write can come between.
    Only the outermost guarded call of a write does this.
    """

    @functools.wraps(function)
    def wrapper(db: Session, *args, **kwargs):
        if db.info.get("guarded"):
            with db.no_autoflush:
                return function(db, *args, **kwargs)
        retrying = kwargs.get("expected_version") is None
        db.info["guarded"] = True
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    with db.no_autoflush, db.begin_nested():
                        return function(db, *args, **kwargs)
                except StaleDataError as exc:
                    if not retrying or attempt == ATTEMPTS:
                        raise Conflict(STALE) from exc
                    _lock([*args, *kwargs.values()], db)
                except IntegrityError as exc:
                    raise Conflict(f"The change clashes with stored data: {exc.orig}") from exc
        finally:
            db.info["guarded"] = False

    return wrapper


def _lock(arguments: list[object], db: Session) -> None:
    """Reloads the leads among ``arguments`` as stored, locked until the transaction ends."""
    for lead in arguments:
        if isinstance(lead, m.Lead):
            (key,) = inspect(lead).identity or (None,)  # expired: its id without a load
            locked = select(m.Lead.id).where(m.Lead.id == key).with_for_update()
            if db.scalar(locked) is None:  # deleted meanwhile
                raise Conflict(STALE)
            db.refresh(lead)


@guarded
def flush(db: Session) -> None:
    """Flushes, turning a stale or duplicate write into Conflict."""
    db.flush()


def touch(lead: m.Lead, actor: Actor) -> None:
    """Stamps the change; the lead's row is always rewritten, so its version moves even
    when only its sets changed (within the same second as the last change)."""
    lead.updated_date = clock.now()
    flag_modified(lead, "updated_date")
    lead.updated_by_user = actor.user
    lead.updated_by_unit = actor.unit
