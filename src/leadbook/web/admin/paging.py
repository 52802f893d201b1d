"""The admin lists' pages: at most ``PAGE`` rows each, in the list's order, ``?page=N``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.orm import Session

PAGE = 100  # rows shown at once
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


@dataclass(frozen=True)
class Paged:
    """One page of a list: its rows, its number, whether a next page has rows, and the
    list's address (``/web/admin/…``, before the root path)."""

    rows: list[Any]
    page: int
    more: bool
    path: str


def page_of(db: Session, found: Select, page: int, path: str) -> Paged:
    """Returns page ``page`` (from 1) of the rows ``found`` selects, listed at ``path``."""
    rows = list(db.scalars(found.limit(PAGE + 1).offset((page - 1) * PAGE)))
    return Paged(rows[:PAGE], page, len(rows) > PAGE, path)
