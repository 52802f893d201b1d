"""Sequential numbers (lead 128, contact CI000042, ACR0000000201) from locked counters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook.models import Counter


def _locked(db: Session, name: str) -> Counter:
    """Returns counter ``name`` locked for this transaction, creating it the first time
    (when two requests create it at once, the loser takes the winner's row)."""
    query = select(Counter).where(Counter.name == name).with_for_update()
    counter = db.scalar(query)
    if counter is None:
        try:
            with db.begin_nested():
                db.add(Counter(name=name, value=0))
        except IntegrityError:
            pass
        counter = db.execute(query).scalar_one()
    return counter


def next_number(db: Session, name: str) -> int:
    """Returns the next number of counter ``name``; the row stays locked until commit."""
    counter = _locked(db, name)
    counter.value += 1
    db.flush()
    return counter.value


def take(db: Session, name: str, count: int) -> int:
    """Returns the first of the next ``count`` numbers of counter ``name``, all taken; the
    row stays locked until commit."""
    counter = _locked(db, name)
    counter.value += count
    db.flush()
    return counter.value - count + 1


def claim(db: Session, name: str, number: int) -> None:
    """Records that ``number`` was taken explicitly, so the counter never hands it out."""
    counter = _locked(db, name)
    counter.value = max(counter.value, number)
    db.flush()


def next_code(db: Session, name: str, template: str, column) -> str:
    """Returns the next ``template``-formatted number of counter ``name`` that no row has
    in ``column`` yet (rows loaded with explicit numbers are skipped, not clashed with)."""
    while True:
        code = template.format(next_number(db, name))
        if db.scalar(select(column).where(column == code)) is None:
            return code
