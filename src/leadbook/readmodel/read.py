"""Reading described objects in one statement: one lead, or a page of leads.

The statement's rows are the domain's (``queries``: the visibility rule and the filters
inside it); the object's SQL is written once per dialect, object and order (``_sql``) and
put in as text, so a request builds and compiles only the small query of its rows. The
values that depend on the time of the request are computed after it (``Later``).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, Text, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from leadbook import models as m
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.readmodel.build import Builder
from leadbook.readmodel.shape import Later, Obj

ROW = "p"  # the name of the leads a statement shows
LEAD = aliased(m.Lead, name=ROW)  # made once: an alias costs ~60 column copies


def one(
    db: Session,
    actor: Actor,
    shape: Obj,
    condition: ColumnElement[bool],
    now: datetime,
) -> dict[str, Any] | None:
    """Returns the object ``shape`` (see ``Obj.only``) of the lead meeting ``condition``
    that ``actor`` sees, or None."""
    ids = queries.seen(actor).where(condition).with_only_columns(m.Lead.id)
    text = _sql(db.get_bind().dialect.name, shape, None)
    stmt: Select[Any] = select(literal_column(text)).select_from(LEAD).where(LEAD.id.in_(ids))
    found = db.execute(stmt).scalar()
    return None if found is None else _finish(orjson.loads(found), shape, now)


def page(
    db: Session,
    actor: Actor,
    shape: Obj,
    f: queries.LeadFilter,
    now: datetime,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "number",
    descending: bool = False,
) -> list[dict[str, Any]]:
    """Returns the objects ``shape`` of a page of the leads ``actor`` sees meeting ``f``."""
    ids = queries.page(actor, f, offset=offset, limit=limit, sort=sort, descending=descending)
    ids = ids.with_only_columns(m.Lead.id)
    dialect = db.get_bind().dialect.name
    stmt: Select[Any]
    if dialect == "postgresql":
        text = _sql(dialect, shape, (sort, descending))
        stmt = select(literal_column(text)).select_from(LEAD).where(LEAD.id.in_(ids))
    else:  # SQLite aggregates rows in the order its FROM subquery gives them
        rows = (
            select(literal_column(_sql(dialect, shape, None)).label("j"))
            .select_from(LEAD)
            .where(LEAD.id.in_(ids))
            .order_by(*queries.ordering(sort, descending, lead=LEAD))
            .subquery()
        )
        stmt = select(func.json_group_array(func.json(rows.c.j)))
    found = orjson.loads(db.execute(stmt).scalar_one())
    return [_finish(row, shape, now) for row in found]


def _finish(row: dict[str, Any], shape: Obj, now: datetime) -> dict[str, Any]:
    for key, node in shape.fields.items():
        if isinstance(node, Later):
            row[key] = node.value(now, row[key])
    return row


@lru_cache(maxsize=512)
def _sql(dialect: str, shape: Obj, order: tuple[str, bool] | None) -> str:
    """Returns the SQL of ``shape`` over the lead named ``ROW`` (as text: the driver hands
    it over untouched, orjson reads it); with an ``order`` (PostgreSQL), the JSON array
    of the leads in that order."""
    builder = Builder(dialect)
    column = builder.node(shape, LEAD)
    if order is not None:
        ordered = aggregate_order_by(column, *queries.ordering(*order, lead=LEAD))
        column = func.coalesce(func.json_agg(ordered), literal_column("'[]'::json"))
    if builder.pg:
        column = cast(column, Text)
    compiled = (
        select(column.label("j"))
        .select_from(LEAD)
        .compile(dialect=_DIALECTS[dialect], compile_kwargs={"literal_binds": True})
    )
    # the column's text: SELECT <column> AS j FROM leads AS p
    head, tail = "SELECT ", f" AS j \nFROM leads AS {ROW}"
    text = str(compiled)
    if not (text.startswith(head) and text.endswith(tail)):
        raise AssertionError(f"unexpected SQL around the object: {text[:40]}…{text[-60:]}")
    return text[len(head) : -len(tail)]


_DIALECTS = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}
