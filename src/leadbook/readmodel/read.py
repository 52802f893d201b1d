"""Reading described objects in one statement: one lead, or a page of leads.

The statement's rows are the domain's (``queries``: the visibility rule and the filters
inside it), for an actor loaded already or one its token names in the same statement
(``admits``: whether the token is live; when not, the read raises NotAdmitted). The
object's SQL is written once per dialect, object and order (``object_sql``) and put in as
text, so a request builds and compiles only the small query of its rows. The values that
depend on the time of the request are computed after it (``Later``, by ``finish``). The
benchmark's floor (bench/floor.py) writes its statements around the same two.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    bindparam,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.access import Viewer
from leadbook.domain.actor import Actor
from leadbook.domain.filters import LeadFilter
from leadbook.readmodel import compiled, slots
from leadbook.readmodel.build import Builder
from leadbook.readmodel.shape import Later, Obj

ROW = "p"  # the name of the leads a statement shows
# the parameters of the lead a statement shows and of the page it lists (bound, not written
# in: one compiled statement, and one PostgreSQL plan, for every page of a shape)
LEAD_KEY, OFFSET, LIMIT = "lead_key", "page_offset", "page_limit"
LEAD = aliased(m.Lead, name=ROW)  # made once: an alias costs ~60 column copies


class NotAdmitted(Exception):
    """The reader named in the statement (``admits``) was not admitted."""


def one(
    db: Session,
    actor: Actor | Viewer,
    shape: Obj,
    condition: ColumnElement[bool],
    now: datetime,
    admits: ColumnElement[bool] | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Returns the object ``shape`` (see ``Obj.only``) of the lead meeting ``condition``
    that ``actor`` sees, or None (``params``: the values of ``admits``'s parameters)."""
    rows = queries.seen(actor).where(condition).subquery(ROW)
    text = object_sql(db.get_bind().dialect.name, shape, None)
    found = _run(db, select(literal_column(text)).select_from(rows), admits, params)
    return None if found is None else finish(orjson.loads(found), shape, now)


def named(
    db: Session,
    viewer: Viewer,
    shape: Obj,
    key: tuple[str, Any],
    now: datetime,
    admits: ColumnElement[bool],
    params: Mapping[str, Any],
) -> dict[str, Any] | None:
    """Returns ``one`` of the lead whose column ``key[0]`` holds ``key[1]``, as the caller
    ``viewer`` named in the statement (``admits``, ``params``: ``tokens.viewing``'s) sees
    it, with a statement compiled once per shape (``compiled``)."""
    column, value = key

    def build() -> Select[Any]:
        condition = getattr(m.Lead, column) == bindparam(LEAD_KEY)
        rows = queries.seen(viewer).where(condition).subquery(ROW)
        text = object_sql(dialect, shape, None)
        lead: Select[Any] = select(literal_column(text)).select_from(rows)
        return select(admits, lead.scalar_subquery())

    dialect = db.get_bind().dialect.name
    stmt = compiled.statement(db, ("one", shape, column, admits), build)
    admitted, found = stmt.row(db, {**params, LEAD_KEY: value})
    if not admitted:
        raise NotAdmitted
    return None if found is None else finish(orjson.loads(found), shape, now)


def _run(
    db: Session,
    stmt: Select[Any],
    admits: ColumnElement[bool] | None,
    params: Mapping[str, Any] | None,
    *,
    rows: bool = False,
) -> Any:
    """Returns the one value ``stmt`` selects (``rows``: an aggregate, always one row),
    asked in the statement checking ``admits`` (beside an aggregate: SQLite's parser takes
    only so many nested levels)."""
    if admits is None:
        return db.execute(stmt, params).scalar()
    if rows:
        found, admitted = db.execute(stmt.add_columns(admits), params).one()
    else:
        admitted, found = db.execute(select(admits, stmt.scalar_subquery()), params).one()
    if not admitted:
        raise NotAdmitted
    return found


def page(
    db: Session,
    actor: Actor | Viewer,
    shape: Obj,
    f: LeadFilter,
    now: datetime,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
    admits: ColumnElement[bool] | None = None,
    params: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Returns the objects ``shape`` of a page of the leads ``actor`` sees meeting ``f``."""
    dialect = db.get_bind().dialect.name
    order = (sort, descending)
    shaped = slots.key(f)
    if admits is not None and params is not None and shaped is not None:

        def build() -> Select[Any]:
            rows = queries.page(actor, slots.slotted(f), sort=sort, descending=descending)
            if limit is not None:
                rows = rows.limit(bindparam(LIMIT))
            rows = rows.offset(bindparam(OFFSET))
            return _page(dialect, shape, order, rows).add_columns(admits)

        key = ("page", shape, shaped, order, limit is None, admits)
        values = {**params, **slots.values(f), OFFSET: offset, LIMIT: limit}
        found, admitted = compiled.statement(db, key, build).row(db, values)
        if not admitted:
            raise NotAdmitted
    else:
        rows = queries.page(actor, f, offset=offset, limit=limit, sort=sort, descending=descending)
        found = _run(db, _page(dialect, shape, order, rows), admits, params, rows=True)
    return [finish(row, shape, now) for row in orjson.loads(found)]


def _page(dialect: str, shape: Obj, order: tuple[str, bool], rows: Select[Any]) -> Select[Any]:
    """Returns the statement of the JSON array of ``shape`` over ``rows`` in ``order``."""
    stmt: Select[Any]
    if dialect == "postgresql":
        text = object_sql(dialect, shape, order)
        stmt = select(literal_column(text)).select_from(rows.subquery(ROW))
    else:  # SQLite aggregates rows in the order of its FROM subquery's ORDER BY
        ordered = (
            select(literal_column(object_sql(dialect, shape, None)).label("j"))
            .select_from(rows.subquery(ROW))
            .order_by(literal_column(_order_sql(dialect, order)))
            .subquery()
        )
        stmt = select(func.json_group_array(func.json(ordered.c.j)))
    return stmt


def finish(row: dict[str, Any], shape: Obj, now: datetime) -> dict[str, Any]:
    """Returns ``row``, an object ``shape``'s SQL wrote, with the values depending on the
    time of the request (``Later``) computed for ``now``."""
    for key, node in shape.fields.items():
        if isinstance(node, Later):
            row[key] = node.value(now, row[key])
    return row


@lru_cache(maxsize=64)
def _order_sql(dialect: str, order: tuple[str, bool]) -> str:
    """Returns the ORDER BY of a page over the leads named ``ROW``, as text."""
    stmt = select(LEAD.id).order_by(*queries.ordering(*order, lead=LEAD))
    _, by, text = _compiled(dialect, stmt).partition(" ORDER BY ")
    assert by, "no ORDER BY"
    return text


_SQL: dict[Any, str] = {}


def object_sql(dialect: str, shape: Obj, order: tuple[str, bool] | None) -> str:
    """Returns the SQL of ``shape`` over the lead named ``ROW`` (as text: the driver hands
    it over untouched, orjson reads it, ``finish`` completes it); with an ``order``
    (PostgreSQL), the JSON array of the leads in that order. Written once per process
    (``compiled.made``)."""
    key = (dialect, shape, order)
    return compiled.made(_SQL, key, lambda: _write(dialect, shape, order), compiled.SIZE)


def _write(dialect: str, shape: Obj, order: tuple[str, bool] | None) -> str:
    builder = Builder(dialect)
    column = builder.node(shape, LEAD)
    if order is not None:
        ordered = aggregate_order_by(column, *queries.ordering(*order, lead=LEAD))
        column = func.coalesce(func.json_agg(ordered), literal_column("'[]'::json"))
    if builder.pg:
        column = cast(column, Text)
    return _column_sql(dialect, column)


def _column_sql(dialect: str, column: ColumnElement[Any]) -> str:
    """Returns the text of ``column`` over the leads named ``ROW`` (binds written in)."""
    # SELECT <column> AS j FROM leads AS p
    head, tail = "SELECT ", f" AS j \nFROM leads AS {ROW}"
    text = _compiled(dialect, select(column.label("j")).select_from(LEAD))
    if not (text.startswith(head) and text.endswith(tail)):
        raise AssertionError(f"unexpected SQL around the column: {text[:40]}…{text[-60:]}")
    return text[len(head) : -len(tail)]


def _compiled(dialect: str, stmt: Select[Any]) -> str:
    return str(stmt.compile(dialect=_DIALECTS[dialect], compile_kwargs={"literal_binds": True}))


_DIALECTS = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}
