"""One resolver for every identifier: ``{"name": "Main Group"}`` → the row it names.

An identifier names exactly one of the fields its entity allows. The same rules hold for
every face: the JSON body form (``{"number": "19"}``) and the query string form
(``number=19``) both end here. A lead is found only among those its caller may see
(``lead``): one it may not see is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from leadbook import models as m
from leadbook.domain import queries, values, writes
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidIdentifier, NotFound


@dataclass(frozen=True)
class Kind:
    """An entity that identifiers can name, and the fields they may name it by."""

    model: type[Any]
    fields: tuple[str, ...]
    label: str
    loads: tuple[Any, ...] = ()  # what comes in the same statement (loader options)


LEAD = Kind(m.Lead, ("id", "number"), "lead")
KINDS: dict[str, Kind] = {
    "lead": LEAD,
    "lead_type": Kind(
        m.LeadType,
        ("id", "name", "alternative_code"),
        "lead type",
        # what a lead of the type is checked against and defaults to (its statuses hold
        # the default ones), so a create or a change of type queries the type once
        (joinedload(m.LeadType.statuses), joinedload(m.LeadType.default_category)),
    ),
    "lead_status": Kind(m.LeadStatus, ("id", "name", "alternative_code"), "lead status"),
    "lead_category": Kind(m.LeadCategory, ("id", "name", "code"), "lead category"),
    "lost_reason": Kind(m.LostReason, ("id", "name", "alternative_code"), "lost reason"),
    "group": Kind(m.Group, ("id", "name", "alternative_code"), "group"),
    "unit": Kind(m.Unit, ("id", "name", "alternative_code"), "unit"),
    "user": Kind(m.User, ("id", "username"), "user"),
    "privacy_level": Kind(m.PrivacyLevel, ("id", "number", "name"), "privacy level"),
    "competitor": Kind(m.Competitor, ("id", "name"), "competitor"),
    "contact": Kind(
        m.Contact,
        (
            "id",
            "number",
            "id_number",
            "passport_number",
            "social_security_number",
            "vat_registration_number",
            "registration_number",
        ),
        "contact information",
    ),
    "accounts_receivable": Kind(
        m.AccountsReceivable, ("id", "number", "name"), "accounts receivable"
    ),
    "communication": Kind(m.Communication, ("id", "number"), "communication"),
    "notification": Kind(m.Notification, ("id", "number"), "notification"),
    "product": Kind(m.Product, ("id", "code", "alternative_code"), "product"),
    "product_type": Kind(m.ProductType, ("id", "name", "alternative_code"), "product type"),
    "product_brand": Kind(m.ProductBrand, ("id", "name", "alternative_code"), "product brand"),
    "product_family": Kind(m.ProductFamily, ("id", "name", "code"), "product family"),
    "subscription_package": Kind(
        m.SubscriptionPackage, ("id", "name", "alternative_code"), "subscription package"
    ),
    "country": Kind(
        m.Country,
        ("id", "name", "alternative_code", "two_character_code", "three_character_code"),
        "country",
    ),
}


def single_field(param: str, identifier: Any, allowed: tuple[str, ...]) -> tuple[str, str]:
    """Returns the one (field, value) pair of ``identifier``, or raises InvalidIdentifier."""
    if not isinstance(identifier, dict):
        raise InvalidIdentifier(
            f"{param} must be an object naming one of: {', '.join(allowed)}", field=param
        )
    if len(identifier) != 1:
        raise InvalidIdentifier(
            f"{param} must name exactly one of: {', '.join(allowed)}"
            f" (got {', '.join(identifier) or 'none'})",
            field=param,
        )
    field, value = next(iter(identifier.items()))
    if field not in allowed:
        raise InvalidIdentifier(
            f"{param} cannot identify by {field!r}; use one of: {', '.join(allowed)}",
            field=param,
        )
    if value is None or isinstance(value, dict | list | bool) or str(value).strip() == "":
        raise InvalidIdentifier(f"{param}.{field} must be a non-empty value", field=param)
    return field, values.text(str(value).strip(), f"{param}.{field}")


def resolve(
    db: Session, kind: str, identifier: Any, *, param: str | None = None, loads: bool = True
):
    """Returns the one row of ``kind`` that ``identifier`` names, or raises; with what comes
    with it (``Kind.loads``) unless ``loads`` is False (a filter needs only the row)."""
    if kind == "lead":
        raise TypeError("a lead is resolved by lead(), among those its caller may see")
    spec = KINDS[kind]
    param = param or f"{kind}_identifier"
    field, value = single_field(param, identifier, spec.fields)
    stmt = select(spec.model).where(getattr(spec.model, field) == value).limit(2)
    if loads and spec.loads:
        stmt = stmt.options(*spec.loads)
    rows = db.execute(stmt).unique().scalars().all()
    if len(rows) > 1:
        raise InvalidIdentifier(
            f"{param}: more than one {spec.label} has {field} {value!r}; use its id",
            field=param,
        )
    if not rows:
        raise NotFound(f"No {spec.label} has {field} {value!r} ({param})", field=param)
    if kind == "contact" and rows[0].merged_into_id:  # a merged contact: its survivor
        return db.get(m.Contact, rows[0].merged_into_id)
    return rows[0]


def lead_key(identifier: Any, param: str = "lead_identifier") -> tuple[str, Any, NotFound]:
    """Returns the column of the lead ``identifier`` names, the value it holds there, and
    the refusal to raise when no lead its caller sees holds it; no statement sent."""
    field, value = single_field(param, identifier, LEAD.fields)
    if field == "number" and not re.fullmatch(r"[0-9]{1,9}", value):
        raise InvalidIdentifier(
            f"{param}.number must be a whole number, not {value!r}", field=param
        )
    wanted = int(value) if field == "number" else value
    return field, wanted, NotFound(f"No lead has {field} {value!r} ({param})", field=param)


def lead_condition(identifier: Any, param: str = "lead_identifier") -> tuple[Any, NotFound]:
    """Returns the SQL condition naming the lead ``identifier`` names, and the refusal to
    raise when no lead its caller sees meets it (``lead_key``)."""
    field, wanted, missing = lead_key(identifier, param)
    return getattr(m.Lead, field) == wanted, missing


def lead(
    db: Session,
    actor: Actor,
    identifier: Any,
    *,
    param: str = "lead_identifier",
    lock: bool = False,
) -> m.Lead:
    """Returns the lead ``identifier`` names among those ``actor`` sees, or raises NotFound
    as if there were none (LeadMerged when it was merged into another); ``lock``: loaded
    locked for a write (see writes.guarded)."""
    condition, missing = lead_condition(identifier, param)
    row = queries.one(db, actor, condition, lock=lock, field=param)
    if row is None:
        raise missing
    if lock:
        writes.locked(db).add(row.id)
    return row


def lead_for(
    db: Session, caller: queries.Caller, identifier: Any, *, param: str = "lead_identifier"
) -> tuple[m.Lead, Any] | None:
    """Returns the lead ``identifier`` names among those the live ``caller`` sees, locked for
    a write, and the caller's row, in one statement; None when the caller or the lead is
    missing (then ``lead`` after the caller's check says why)."""
    condition, _missing = lead_condition(identifier, param)
    found = queries.one_for(db, caller, condition)
    if found is not None:
        writes.locked(db).add(found[0].id)
    return found


def resolve_optional(db: Session, kind: str, identifier: Any, *, param: str | None = None):
    """Like resolve(), but None stays None (an identifier set to null clears a field)."""
    return None if identifier is None else resolve(db, kind, identifier, param=param)


def parse_query(param: str, text: str) -> dict[str, str]:
    """Returns the identifier written in a query string as ``field=value``."""
    field, sep, value = text.partition("=")
    if not sep or not field:
        raise InvalidIdentifier(f"{param} must be written as field=value, e.g. {param}=id=…")
    return {field.strip(): value}
