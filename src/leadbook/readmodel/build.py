"""The SQL of a described object, for PostgreSQL or SQLite.

Every value comes out as the ORM's serialiser writes it: a whole float as an integer (the
stored numbers lie within ±10^15, see domain.values), any other float with every digit
it has (SQLite's JSON keeps only 15, so it is printed with 17), dates to the second,
booleans as true/false, an empty set as ``[]``. A row pointed at is a scalar subquery on
its primary key, a set one aggregate over its rows.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    String,
    case,
    cast,
    func,
    inspect,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by
from sqlalchemy.orm import aliased

from leadbook.models import ExternalId
from leadbook.readmodel.shape import (
    Choose,
    Const,
    Flag,
    Later,
    Many,
    Node,
    Number,
    Numbered,
    Obj,
    Ref,
    Text,
    Value,
    When,
)

KEY = re.compile(r"[a-z_][a-z0-9_]*")
# PostgreSQL functions take at most 100 arguments: larger objects are built in parts
PAIRS = 50


class Builder:
    """Writes the SQL of nodes in one dialect (``postgresql`` or ``sqlite``)."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def node(self, node: Node, row: Any) -> ColumnElement:
        """Returns the SQL of ``node`` over ``row`` (a mapped class or an alias of one)."""
        if isinstance(node, Obj):
            return self.obj([(k, self.node(n, row)) for k, n in node.fields.items()], node)
        if isinstance(node, Value):
            return self.value(node, getattr(row, node.name))
        if isinstance(node, Const):
            return null() if node.value is None else literal_column(_quoted(node.value))
        if isinstance(node, Ref):
            return self.ref(node, row)
        if isinstance(node, Many):
            return self.many(node, row)
        if isinstance(node, Choose):
            return self.choose(node, row)
        if isinstance(node, Numbered):
            return self.numbered(node, row)
        if isinstance(node, Later):
            values = [self.node(value, row) for value in node.inputs]
            return func.json_build_array(*values) if self.pg else func.json_array(*values)
        raise TypeError(f"no SQL for {node!r}")

    def obj(self, pairs: list[tuple[str, ColumnElement]], node: Obj) -> ColumnElement:
        parts = [pairs[at : at + PAIRS] for at in range(0, len(pairs), PAIRS)] or [[]]
        built = [self._object(part, node) for part in parts]
        if len(built) == 1:
            return built[0]
        # the parts' texts joined: {a…} {b…} → {a…,b…}
        text: ColumnElement[str] = cast(built[0], String)
        for more in built[1:]:
            head = func.substr(text, 1, func.length(text) - 1).concat(literal_column("','"))
            text = head.concat(func.substr(cast(more, String), 2))
        return cast(text, JSON) if self.pg else func.json(text)

    def _object(self, pairs: list[tuple[str, ColumnElement]], node: Obj) -> ColumnElement:
        args: list[ColumnElement] = []
        for key, value in pairs:
            assert KEY.fullmatch(key), key
            child = node.fields[key]
            args += [literal_column(f"'{key}'"), self._embedded(child, value)]
        return func.json_build_object(*args) if self.pg else func.json_object(*args)

    def _embedded(self, node: Node, sql: ColumnElement) -> ColumnElement:
        """SQLite loses the JSON-ness of a subquery's or CASE's result: json() restores it."""
        if self.pg or not node.json or isinstance(node, Obj | Later):
            return sql
        return func.json(sql)

    def value(self, node: Value, column: Any) -> ColumnElement:
        if isinstance(node, Number):
            whole = column == func.trunc(column) if self.pg else column == cast(column, Integer)
            if self.pg:
                return case(
                    (whole, func.to_json(cast(column, BigInteger))), else_=func.to_json(column)
                )
            digits = func.json(func.printf("%!.17g", column))
            return case((column.is_(None), null()), (whole, cast(column, Integer)), else_=digits)
        if isinstance(node, Text):
            return cast(column, String)
        if isinstance(node, Flag):
            if self.pg:
                return column
            return case(
                (column.is_(None), null()), (column, func.json("true")), else_=func.json("false")
            )
        if isinstance(node, When):
            day = isinstance(column.type, Date)
            if self.pg:
                return func.to_char(column, "YYYY-MM-DD" if day else 'YYYY-MM-DD"T"HH24:MI:SS')
            return func.strftime("%Y-%m-%d" if day else "%Y-%m-%dT%H:%M:%S", column)
        return column

    def ref(self, node: Ref, row: Any) -> ColumnElement:
        prop = inspect(row).mapper.relationships[node.relation]
        ((local, remote),) = prop.local_remote_pairs
        target = aliased(prop.mapper.class_)
        fk = getattr(row, prop.parent.get_property_by_column(local).key)
        inner = self.node(node.node, target)
        key = getattr(target, prop.mapper.get_property_by_column(remote).key)
        return select(inner).where(key == fk).scalar_subquery()

    def many(self, node: Many, row: Any) -> ColumnElement:
        prop = inspect(row).mapper.relationships[node.relation]
        ((local, remote),) = prop.local_remote_pairs
        model = aliased(prop.mapper.class_)
        mine = getattr(row, prop.parent.get_property_by_column(local).key)
        rows = select(model).where(
            getattr(model, prop.mapper.get_property_by_column(remote).key) == mine
        )
        if node.where is not None:
            rows = rows.where(getattr(model, node.where[0]) == node.where[1])
        order = [getattr(model, column.key) for column in prop.order_by or ()]
        if self.pg:
            agg = func.json_agg(aggregate_order_by(self.node(node.node, model), *order))
            empty: ColumnElement[Any] = literal_column("'[]'::json")
            return rows.with_only_columns(func.coalesce(agg, empty)).scalar_subquery()
        # SQLite aggregates in the order of its input (a FROM subquery with an ORDER BY)
        item = aliased(model, rows.order_by(*order).correlate(row).subquery())
        return select(func.json_group_array(self.node(node.node, item))).scalar_subquery()

    def numbered(self, node: Numbered, row: Any) -> ColumnElement:
        number = select(ExternalId.number).where(
            ExternalId.kind == node.kind, ExternalId.entity_id == getattr(row, node.column)
        )
        return number.scalar_subquery()

    def choose(self, node: Choose, row: Any) -> ColumnElement:
        column = getattr(row, node.column)
        whens = [
            (
                column.is_(None) if value is None else column == value,
                self._embedded(n, self.node(n, row)),
            )
            for value, n in node.cases.items()
        ]
        return case(*whens, else_=self._embedded(node.otherwise, self.node(node.otherwise, row)))


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
