"""Read statements compiled once per shape and run as text with each request's values.

A token-checked read (a lead shown, a page listed) has the same SQL for every request of
one shape: dialect, object (the fields_set), the caller's check, the column naming the
lead or the filters set (``slots``), the order, whether there is a limit. Its statement is
built and compiled on the first such request; later ones only bind their values (the
token, the time, the lead's key, the filters' values, the page's offset and limit) and
hand the text to the driver (``exec_driver_sql``: no statement built, no compiler run).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

# at most this many shapes kept (each fields_set is one): past it, the oldest is dropped
SIZE = 512


@dataclass(frozen=True)
class Statement:
    """A compiled statement: its text, the order of its parameters (a positional
    driver's), the values fixed by its shape and the bind processors of the others."""

    sql: str
    order: tuple[str, ...] | None
    fixed: Mapping[str, Any]
    processors: Mapping[str, Callable[[Any], Any]]

    def row(self, db: Session, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Returns the one row the statement selects with ``values`` bound."""
        params = dict(self.fixed)
        for name, value in values.items():
            process = self.processors.get(name)
            params[name] = value if process is None else process(value)
        bound = params if self.order is None else tuple(params[name] for name in self.order)
        return tuple(db.connection().exec_driver_sql(self.sql, bound).one())


_CACHE: dict[Hashable, Statement] = {}
# held while a missing statement (or a read's SQL) is made: a worker's first requests of a
# shape arrive together, and each made the same 47 KB statement at once (16 requests: 4-6 s
# under the GIL); reentrant, as making a statement writes its SQL
_MAKING = threading.RLock()
T = TypeVar("T")


def made(cache: dict[Hashable, T], key: Hashable, make: Callable[[], T], size: int) -> T:
    """Returns ``cache[key]``, made by ``make()`` when missing, one thread at a time (the
    others wait for it: a hit takes no lock); past ``size`` entries the oldest is dropped."""
    found = cache.get(key)
    if found is None:
        with _MAKING:
            found = cache.get(key)
            if found is None:
                found = cache[key] = make()
                while len(cache) > size:
                    del cache[next(iter(cache))]
    return found


def statement(db: Session, key: Hashable, build: Callable[[], Select[Any]]) -> Statement:
    """Returns the compiled statement of shape ``key`` (with the dialect of ``db``'s
    connection added), compiling ``build()`` the first time."""
    dialect = db.get_bind().dialect
    return made(_CACHE, (dialect.name, key), lambda: _compile(build(), dialect), SIZE)


def _compile(stmt: Select[Any], dialect: Dialect) -> Statement:
    compiled = stmt.compile(dialect=dialect)
    # the request's parameters are None here (bound by ``Statement.row``); a set of values
    # (``in_``) is written out, one parameter each
    unset = {name: None for name, bind in compiled.binds.items() if bind.required}
    state = compiled.construct_expanded_state(unset)
    processors = dict(state.processors)
    fixed = {
        name: value if value is None or name not in processors else processors[name](value)
        for name, value in state.parameters.items()
    }
    order = tuple(state.positiontup) if state.positiontup is not None else None
    return Statement(state.statement, order, fixed, processors)
