"""Sequential numbers (lead 128, contact CI000042, ACR0000000201).

On PostgreSQL they come from sequences: no lock is held, so creates never queue behind
each other; a number taken by a create that is then refused is not handed out again (a
gap; see docs/numbering.md). On SQLite a write transaction holds the database's write
lock anyway, so a counter row serves, taken in one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, column, func, literal, select, table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from leadbook.models import Counter
from leadbook.models.counter import SEQUENCES


def _sequences(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def moving(dialect: str, name: str, number: int | None, step: int = 1) -> Any:
    """Returns the statement moving counter ``name`` ``step`` on, or to at least ``number``,
    returning its new value; its row stays locked until commit (PostgreSQL may run it as a
    CTE of a larger statement)."""
    pg = dialect == "postgresql"
    insert = postgresql.insert if pg else sqlite.insert
    greatest = func.greatest if pg else func.max
    stmt = insert(Counter).values(name=name, value=number or step)
    moved = Counter.value + step if number is None else greatest(Counter.value, number)
    stmt = stmt.on_conflict_do_update(index_elements=[Counter.name], set_={"value": moved})
    return stmt.returning(Counter.value)


def _count(db: Session, name: str, number: int | None, step: int = 1) -> int:
    """Moves counter ``name`` (``moving``) in one statement; returns its new value."""
    dialect = db.get_bind().dialect.name
    return db.execute(moving(dialect, name, number, step)).scalar_one()


def next_number(db: Session, name: str) -> int:
    """Returns the next number of ``name``: its sequence's next value, or its counter's
    (one statement either way; a caller takes it just before the INSERT that uses it)."""
    if _sequences(db):
        return db.execute(select(SEQUENCES[name].next_value())).scalar_one()
    return _count(db, name, None)


def next_in_insert(db: Session, name: str) -> Any:
    """Returns what to give a row's number of ``name``: on PostgreSQL its sequence's next
    value as SQL, taken by the row's own INSERT (which returns it: no statement of its
    own); on SQLite its counter's next value (one statement, just before the INSERT)."""
    if _sequences(db):
        return SEQUENCES[name].next_value()
    return _count(db, name, None)


def take(db: Session, name: str, count: int) -> int:
    """Returns the first of the next ``count`` numbers of counter ``name`` (gap-free), all
    taken; the row stays locked until commit."""
    return _count(db, name, None, count) - count + 1


def claim(db: Session, name: str, number: int) -> None:
    """Records that ``number`` was taken explicitly, so ``name`` never hands it out."""
    if _sequences(db):
        sequence = table(SEQUENCES[name].name, column("last_value"))
        moved = func.setval(sequence.name, func.greatest(sequence.c.last_value, number))
        db.execute(select(moved).select_from(sequence))
        return
    _count(db, name, number)


def next_code(db: Session, name: str, prefix: str, width: int, column) -> str:
    """Returns the next number of ``name`` as ``prefix`` and ``width`` zero-padded digits
    that no row has in ``column`` yet (rows loaded with explicit numbers are skipped, not
    clashed with); on PostgreSQL taken and checked in one statement."""
    while True:
        if _sequences(db):
            taken = select(SEQUENCES[name].next_value().label("value")).cte("taken")
            digits = cast(taken.c.value, Text)
            padded = func.lpad(digits, func.greatest(width, func.length(digits)), "0")
            used = select(column).where(column == literal(prefix, Text) + padded).exists()
            value, clash = db.execute(select(taken.c.value, used)).one()
            code = f"{prefix}{value:0{width}d}"
        else:
            code = f"{prefix}{_count(db, name, None):0{width}d}"
            clash = db.scalar(select(column).where(column == code)) is not None
        if not clash:
            return code
