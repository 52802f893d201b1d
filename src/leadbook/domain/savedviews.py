"""Saved views of the lead list: a user's filters and sort under a name, listed to its
owner (and, once shared by a manager or an administrator, to everyone), deleted by its
owner. The filters are stored as the list's query string, checked here against the
list's known parameters."""

from __future__ import annotations

import math
from datetime import date
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from leadbook.domain.queries import LIST_SORTS
from leadbook.models import Role

# the lead list's parameters a view keeps (the page is not kept: a view opens on page 1)
PARAMETERS = (
    *("type", "state", "status", "importance", "q", "activity", "breach"),
    *("owner", "source_type", "source_name", "created_from", "created_to"),
    *("expected_from", "expected_to", "amount_min", "amount_max"),
    *("sort", "desc", "size"),
)
MAX_NAME = 80
MAX_QUERY = 2000
SHARERS = (Role.ADMIN, Role.MANAGER)


def check_query(query: str) -> str:
    """Returns ``query`` (the list's query string, a leading ``?`` allowed) as stored:
    its non-blank parameters in the list's order. Refuses an unknown or repeated
    parameter and a sort, order or page size the list does not take."""
    text = query.strip().removeprefix("?")
    if len(text) > MAX_QUERY:
        raise InvalidValue(f"{{field}} is longer than {MAX_QUERY} characters", field="query")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        raise InvalidValue("{field} is not a query string (name=value&…)", field="query") from None
    given: dict[str, str] = {}
    for key, value in pairs:
        if key not in PARAMETERS:
            raise InvalidValue(
                f"{{field}}: unknown parameter {key!r}; a view keeps {', '.join(PARAMETERS)}",
                field="query",
            )
        if key in given:
            raise InvalidValue(f"{{field}}: parameter {key!r} is given twice", field="query")
        given[key] = value.strip()
    _check_value(given, "sort", lambda v: v in LIST_SORTS, ", ".join(LIST_SORTS))
    _check_value(given, "desc", lambda v: v in ("true", "false"), "true or false")
    _check_value(given, "size", lambda v: v.isdigit() and 1 <= int(v) <= 100, "1 to 100")
    for key in ("created_from", "created_to", "expected_from", "expected_to"):
        _check_value(given, key, _is_day, "a date written YYYY-MM-DD")
    for key in ("amount_min", "amount_max"):
        _check_value(given, key, _is_amount, "a number")
    return urlencode([(key, given[key]) for key in PARAMETERS if given.get(key)])


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_amount(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _check_value(given: dict[str, str], key: str, ok, allowed: str) -> None:
    value = given.get(key)
    if value and not ok(value):
        raise InvalidValue(f"{{field}}: {key} must be {allowed}, not {value!r}", field="query")


def check_name(name: str) -> str:
    """Returns ``name`` trimmed; refuses one empty or longer than MAX_NAME characters."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidValue(f"{{field}} must be 1 to {MAX_NAME} characters", field="name")
    return name


def save(db: Session, actor: Actor, name: str, query: str, *, shared: bool = False) -> m.SavedView:
    """Saves the list's ``query`` as ``actor``'s view ``name`` (unique per user, letter case
    aside); only a manager or an administrator may share it with everyone."""
    name, query = check_name(name), check_query(query)
    if shared and actor.user.role not in SHARERS:
        raise PermissionDenied(
            "Only a manager or an administrator may share a view with everyone", field="shared"
        )
    taken = select(m.SavedView.id).where(
        m.SavedView.owner_id == actor.user.id, func.lower(m.SavedView.name) == name.lower()
    )
    if db.scalar(taken) is not None:
        raise Conflict(f"You already have a view named {name!r}", field="name")
    view = m.SavedView(owner=actor.user, name=name, query=query, shared=shared)
    db.add(view)
    db.flush()
    return view


def listed(db: Session, actor: Actor) -> list[m.SavedView]:
    """Returns the views ``actor`` sees: their own, then those others share, by name."""
    mine = m.SavedView.owner_id == actor.user.id
    stmt = (
        select(m.SavedView)
        .where(or_(mine, m.SavedView.shared.is_(True)))
        .order_by(mine.desc(), func.lower(m.SavedView.name), m.SavedView.id)
    )
    return list(db.scalars(stmt))


def delete(db: Session, actor: Actor, view_id: str) -> None:
    """Deletes view ``view_id``; only its owner may (another's shared view is refused,
    one not shared is missing)."""
    view = db.get(m.SavedView, view_id)
    if view is None or (view.owner_id != actor.user.id and not view.shared):
        raise NotFound(f"There is no view {view_id!r}", field="view")
    if view.owner_id != actor.user.id:
        raise PermissionDenied(f"Only its owner may delete the view {view.name!r}")
    db.delete(view)
    db.flush()
