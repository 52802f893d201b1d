"""How every write to a lead is made: flushed once, stamped, a stale write turned into Conflict."""

from __future__ import annotations

import functools

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from leadbook import models as m
from leadbook.domain import clock, leadrow, scoring
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict

STALE = "The lead was changed by someone else meanwhile; read it and retry"


def guarded(function):
    """Runs a write with autoflush off (the change is flushed once, when complete, so the
    lead's version moves by one) and turns a stale or clashing write into Conflict.

    A write given no ``expected_version`` asked for no optimistic check: it is made on its
    leads as now stored, locked first (``FOR UPDATE``; SQLite's write lock) unless they were
    loaded locked (``locked``), so no other write can come between and it always lands. A
    write given a version is refused when the lead moved on meanwhile. No savepoint: a
    refused write fails its whole request. Only the outermost guarded call does this.
    """

    @functools.wraps(function)
    def wrapper(db: Session, *args, **kwargs):
        if db.info.get("guarded"):
            with db.no_autoflush:
                return function(db, *args, **kwargs)
        db.info["guarded"] = True
        try:
            if kwargs.get("expected_version") is None:
                _lock([*args, *kwargs.values()], db)
            with db.no_autoflush:
                return function(db, *args, **kwargs)
        except StaleDataError as exc:
            raise Conflict(STALE) from exc
        except IntegrityError as exc:
            raise Conflict(f"The change clashes with stored data: {exc.orig}") from exc
        finally:
            db.info["guarded"] = False

    return wrapper


def locks_rows(db: Session) -> bool:
    """Whether a locking read waits only for the rows it names (PostgreSQL): SQLite's takes
    the database's one write lock, so there a caller is checked before it may wait for it
    (a refused token is refused at once, never a 503 behind another writer)."""
    return db.get_bind().dialect.name == "postgresql"


def locked(db: Session) -> set[str]:
    """The ids of the leads this session's transaction holds locked (loaded ``FOR UPDATE``)."""
    transaction = db.get_transaction()
    held = db.info.get("locked")
    if held is None or held[0] is not transaction:
        held = db.info["locked"] = (transaction, set())
    return held[1]


def _lock(arguments: list[object], db: Session) -> None:
    """Locks the rows of the leads among ``arguments`` until the transaction ends, reloading
    a lead whose stored version moved on since it was read."""
    for lead in arguments:
        if isinstance(lead, m.Lead) and inspect(lead).persistent and lead.id not in locked(db):
            held = select(m.Lead.version).where(m.Lead.id == lead.id).with_for_update()
            stored = db.scalar(held)
            if stored is None:  # deleted meanwhile
                raise Conflict(STALE)
            if stored != lead.version:
                db.refresh(lead)
            locked(db).add(lead.id)


@guarded
def flush(db: Session) -> None:
    """Scores the leads written (scoring.rescore) and flushes, turning a stale or duplicate
    write into Conflict; one changed lead alone is written by one Core UPDATE (leadrow)."""
    scoring.rescore(db)
    if not leadrow.write(db):
        db.flush()


def touch(lead: m.Lead, actor: Actor) -> None:
    """Stamps the change; the lead's row is always rewritten, so its version moves even
    when only its sets changed (within the same second as the last change)."""
    lead.updated_date = clock.now()
    flag_modified(lead, "updated_date")
    lead.updated_by_user = actor.user
    lead.updated_by_unit = actor.unit
