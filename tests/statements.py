"""Counting the SQL statements a piece of code sends to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

# transaction control SQLite gets as statements and PostgreSQL as driver calls, and the
# savepoints the tests' rolled-back transactions wrap each request's in (tests/conftest.py)
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
_WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(statement: str) -> bool:
    """Whether ``statement`` writes (a data-modifying CTE included: ``WITH … INSERT``)."""
    text = statement.upper()
    return text.startswith(_WRITES) or text.startswith("WITH") and "INSERT INTO" in text


class Statements(list[str]):
    """The statements sent, in order; ``len()`` is their number."""

    def writing(self) -> Statements:
        """The statements through the last write (INSERT, UPDATE, DELETE): a write request's
        own, without the reads of the answer it sends back."""
        last = max((i for i, s in enumerate(self) if _writes(s)), default=-1)
        return Statements(self[: last + 1])

    def __str__(self) -> str:
        return "\n".join(f"{i}. {s.splitlines()[0][:160]}" for i, s in enumerate(self, 1))


@contextmanager
def count_statements() -> Iterator[Statements]:
    """Collects every statement any engine of this process sends while the block runs
    (transaction control left out: it is not a statement on PostgreSQL)."""
    sent = Statements()

    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            sent.append(statement.strip())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)
