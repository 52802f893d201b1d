"""The values of a list's filter as parameter slots: which filters a request sets (part of
its statement's shape, ``key``) apart from what they are set to (``values``), so pages of
one shape share one compiled statement (``compiled``).

Only the filters a CRM.COM list sets are slots; the states of a get_* method are part of
the shape (a handful of fixed tuples). A filter setting anything else (a text search, a
range, a due date: values written into the statement for its plan) has no slots: it is
built and compiled each time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import BindParameter, bindparam

from leadbook.domain.filters import LeadFilter

ROWS = ("contact", "accounts_receivable", "type", "category")  # rows: their id is the slot
VALUES = ("source_type", "source_name", "importance", "priority")
EMPTY = LeadFilter()
# filters left as LeadFilter() leaves them, or part of the shape
SHAPED = frozenset({"states", *ROWS, *VALUES})


@dataclass(frozen=True)
class _Row:
    """A row a filter names, standing for its id in the statement."""

    id: Any


def key(f: LeadFilter) -> tuple[Any, ...] | None:
    """Returns the shape of ``f`` (its states and which slots it sets), or None when it
    sets a filter that has no slot."""
    for field in fields(LeadFilter):
        if field.name not in SHAPED and getattr(f, field.name) != getattr(EMPTY, field.name):
            return None
    return (f.states, *(getattr(f, name) is not None for name in (*ROWS, *VALUES)))


def values(f: LeadFilter) -> dict[str, Any]:
    """Returns the values of the slots ``f`` sets, by slot name."""
    found = {_slot(name): getattr(f, name).id for name in ROWS if getattr(f, name) is not None}
    found.update({_slot(name): getattr(f, name) for name in VALUES if getattr(f, name) is not None})
    return found


def slotted(f: LeadFilter) -> LeadFilter:
    """Returns ``f`` with each value it sets replaced by its slot (a bound parameter)."""
    swapped: dict[str, Any] = {}
    for name in (*ROWS, *VALUES):
        if getattr(f, name) is not None:
            slot: BindParameter[Any] = bindparam(_slot(name))
            swapped[name] = _Row(slot) if name in ROWS else slot
    return replace(f, **swapped)


def _slot(name: str) -> str:
    return f"slot_{name}"
