"""The words a wire object is described with: an object's keys, each a column of the row at
hand, a row it points at, a set of rows pointing at it, a choice, a constant, or a value
computed in Python after the statement (one that depends on the time of the request)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any


class Node:
    """A part of an object; ``json`` tells whether its SQL makes JSON or a plain value."""

    json = False


@dataclass(frozen=True)
class Value(Node):
    """A column (or a hybrid property with an SQL expression) written as it is stored."""

    name: str


@dataclass(frozen=True)
class Number(Value):
    """A floating point column written as the seeds do: a whole number without ``.0``."""


@dataclass(frozen=True)
class Text(Value):
    """A column written as a string (the lead's number)."""


@dataclass(frozen=True)
class Flag(Value):
    """A boolean column: ``true`` or ``false``."""


@dataclass(frozen=True)
class When(Value):
    """A date or time column as the API writes it: ``2015-02-13T09:52:09``, ``2015-02-13``."""


@dataclass(frozen=True)
class Const(Node):
    """A fixed value."""

    value: str | None


@dataclass(frozen=True, eq=False)
class Obj(Node):
    """An object: its keys in the order an answer writes them (equal only to itself)."""

    fields: Mapping[str, Node]
    json = True

    @classmethod
    def of(cls, *names: str, **more: Node) -> Obj:
        """Returns the object of the columns ``names`` (as stored), then ``more``."""
        return cls({**{name: Value(name) for name in names}, **more})

    def only(self, keys: tuple[str, ...] | None) -> Obj:
        """Returns the object keeping ``keys`` (in their order, once each; all for None),
        the same one each time for the same keys."""
        return _only(self, keys) if keys else self


@lru_cache(maxsize=1024)
def _only(obj: Obj, keys: tuple[str, ...]) -> Obj:
    return Obj({key: obj.fields[key] for key in keys})


@dataclass(frozen=True)
class Ref(Node):
    """The row a many-to-one ``relation`` points at, described by ``node`` (null for none)."""

    relation: str
    node: Node

    @property
    def json(self) -> bool:  # type: ignore[override]
        return self.node.json


@dataclass(frozen=True)
class Many(Node):
    """The rows of a one-to-many ``relation`` (in its order), those with ``column`` equal
    to ``value`` when given, each described by ``node``; ``[]`` for none."""

    relation: str
    node: Node
    where: tuple[str, str] | None = None
    json = True


@dataclass(frozen=True, eq=False)
class Choose(Node):
    """The node of the value of column ``column`` (``otherwise`` for any other value)."""

    column: str
    cases: Mapping[Any, Node]
    otherwise: Node
    json = True


@dataclass(frozen=True)
class Numbered(Node):
    """The integer stand-in (``models.external``) of the ``kind`` entity whose id column
    ``column`` holds; null for none."""

    kind: str
    column: str


@dataclass(frozen=True)
class Later(Node):
    """A value depending on the time of the request: ``compute(now, *values)`` in Python,
    over the values the statement reads of ``inputs`` (top-level keys only)."""

    compute: Callable[..., Any]
    inputs: tuple[Value, ...] = field(default=())
    json = True

    def value(self, now: datetime, read: list[Any]) -> Any:
        """Returns the value from what the statement read."""
        return self.compute(now, *read)
