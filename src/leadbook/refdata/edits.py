"""One reference row at a time, as the admin API and the web's admin pages edit them:
create (refusing a name already taken, or a required value left out), change or rename by
id, delete (refusing a row still in use). Each write goes through ``config.apply``, so a
row keeps the rules of ``leadbook config apply``; a refusal names the field at fault by
its column name."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadbook.domain import accounts
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict, DomainError, MandatoryParameterMissing, NotFound
from leadbook.refdata import config


def section(name: str) -> config.Section:
    """Returns the reference data section ``name``, or NotFound."""
    if name not in config.BY_NAME:
        raise NotFound(f"No reference data section {name!r}")
    return config.BY_NAME[name]


def by_key(db: Session, spec: config.Section, key: str) -> Any:
    """Returns the row of ``spec`` whose natural key is ``key``, or NotFound."""
    row = config.find(db, spec, key)
    if row is None:
        raise NotFound(f"No {spec.name} row {key!r}")
    return row


def by_id(db: Session, spec: config.Section, row_id: str) -> Any:
    """Returns the row of ``spec`` with id ``row_id``, or NotFound."""
    row = db.get(spec.model, row_id)
    if row is None:
        raise NotFound(f"No {spec.name} row with id {row_id!r}")
    return row


def create(db: Session, actor: Actor | None, spec: config.Section, values: dict) -> Any:
    """Creates a row of ``spec`` from ``values`` (column → value, references by key);
    refuses a natural key or unique value another row holds."""
    _check_required(spec, values, creating=True)
    _check_key(db, spec, values, None)
    _apply(db, actor, spec, values)
    return config.find(db, spec, values[spec.key])


def change(db: Session, actor: Actor | None, spec: config.Section, row: Any, values: dict) -> Any:
    """Changes ``row`` of ``spec`` to ``values`` (its natural key too: a rename)."""
    _check_required(spec, values, creating=False)
    _check_key(db, spec, values, row.id)
    _apply(db, actor, spec, {spec.key: getattr(row, spec.key), **values, "id": row.id})
    return row


def delete(db: Session, actor: Actor | None, spec: config.Section, row: Any) -> None:
    """Deletes ``row`` of ``spec``; refuses one that leads or other rows still use (and
    a user the rules of ``domain.accounts`` keep)."""
    if spec.name == "users":
        accounts.check_removal(db, actor, row)
    key = getattr(row, spec.key)
    try:
        with db.begin_nested():
            db.delete(row)
    except IntegrityError:
        raise Conflict(
            f"{{field}} {key!r} is still in use (leads or other rows refer to it) and cannot be "
            "deleted",
            field=spec.key,
        ) from None


def _check_required(spec: config.Section, values: dict, *, creating: bool) -> None:
    """Refuses a row without a value its table cannot be without (a column not null and
    without a default): missing on create, or given blank."""
    for column in spec.model.__table__.columns:
        if column.nullable or column.default is not None or column.primary_key:
            continue
        blank = values.get(column.key) in (None, "")
        if blank and (creating or column.key in values):
            raise MandatoryParameterMissing("{field} is required", field=column.key)


def _check_key(db: Session, spec: config.Section, values: dict, row_id: str | None) -> None:
    """Refuses a natural key another row holds (``config.apply`` would update that row
    instead); other unique values ``config.apply`` checks itself."""
    given = values.get(spec.key)
    found = None if given in (None, "") else config.find(db, spec, given)
    if found is not None and found.id != row_id:
        raise Conflict(f"{{field}}: {given!r} is taken by another row", field=spec.key)


def _apply(db: Session, actor: Actor | None, spec: config.Section, values: dict) -> None:
    """Applies one row, naming a refused field by its column (``name``, not ``units[0].name``)."""
    try:
        config.apply(db, {spec.name: [values]}, actor=actor)
    except DomainError as exc:
        raise _one_row(exc, spec.name) from None


def _one_row(exc: DomainError, name: str) -> DomainError:
    """Returns ``exc`` about row 0 of section ``name`` worded about the row alone."""
    where = f"{name}[0]"
    if exc.field and exc.field.startswith(f"{where}."):
        exc.field = exc.field[len(where) + 1 :]
        exc.template = exc.template.removeprefix(f"{where}: ")
    elif exc.field is None:
        named = re.match(rf"{re.escape(where)}\.(\w+)(:? )", exc.template)
        if named:
            exc.field = named.group(1)
            exc.template = "{field}" + named.group(2) + exc.template[named.end() :]
        else:
            exc.template = exc.template.removeprefix(f"{where}: ")
    if exc.field and exc.template.startswith(exc.field):
        exc.template = "{field}" + exc.template[len(exc.field) :]
    return exc
