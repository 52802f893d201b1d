"""The reference data forms, derived from each section's table: which sections the admin
pages edit, their inputs with human labels, a row's current values, and the values a
posted form gives ``refdata.edits`` (text as typed: the rows' checks read it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Float, Integer, Text, select
from sqlalchemy.orm import Session

from leadbook.models import LIFE_CYCLE_STATES, LeadStatus
from leadbook.refdata import config

# the sections the pages edit, by title (users have their own page)
TITLES = {
    "lead_types": "Lead types",
    "lead_statuses": "Lead statuses",
    "lead_categories": "Lead categories",
    "lost_reasons": "Lost reasons",
    "groups": "Groups",
    "units": "Units",
    "privacy_levels": "Privacy levels",
    "countries": "Countries",
    "competitors": "Competitors",
    "product_types": "Product types",
    "products": "Products",
    "product_brands": "Product brands",
    "product_families": "Product families",
    "subscription_packages": "Subscription packages",
}
LABELS = {
    "alternative_code": "Alternative code",
    "life_cycle_state": "Life cycle state",
    "create_status": "Status when created",
    "start_status": "Status when started",
    "win_status": "Status when won",
    "lost_status": "Status when lost",
    "cancel_status": "Status when cancelled",
    "email_on_create": "Contact email required on create",
    "sms_on_create": "Contact phone required on create",
    "first_response_minutes": "First response target (minutes)",
    "escalation_hours": "Escalate after (hours)",
    "two_character_code": "Two-letter code",
    "three_character_code": "Three-letter code",
    "statuses": "Statuses",
    "delete": "Delete",
}
STATUS = "status:"  # a lead type form's checkbox of one status: status:<name>


@dataclass(frozen=True)
class Field:
    """One input of a section's form."""

    name: str
    label: str
    kind: str  # text, textarea, whole, number, flag, state (a life cycle state), ref
    required: bool
    ref: str | None = None  # the section whose rows a ref names


def label(name: str) -> str:
    """Returns the label the forms show for column or reference ``name``."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def fields(spec: config.Section) -> tuple[Field, ...]:
    """Returns the inputs of ``spec``'s form: its key first, then its columns and references."""
    return _fields(spec.name)


@cache
def _fields(section: str) -> tuple[Field, ...]:
    """The inputs of section ``section``'s form, derived once from its table."""
    spec = config.BY_NAME[section]
    found = []
    for column in spec.model.__table__.columns:
        if column.primary_key or column.foreign_keys:
            continue
        kind = column.type
        shape = (
            "flag"
            if isinstance(kind, Boolean)
            else "whole"
            if isinstance(kind, Integer)
            else "number"
            if isinstance(kind, Float)
            else "textarea"
            if isinstance(kind, Text)
            else "state"
            if column.key == "life_cycle_state"
            else "text"
        )
        required = not column.nullable and column.default is None
        found.append(Field(column.key, label(column.key), shape, required))
    found += [Field(name, label(name), "ref", False, target) for name, target in spec.refs.items()]
    found.sort(key=lambda f: f.name != spec.key)
    return tuple(found)


def choices(db: Session, spec: config.Section) -> dict[str, list[tuple[str, str]]]:
    """Returns the options (value, text) of each choice input: the keys of the rows a
    reference names, the life cycle states."""
    states = [(state.value, state.label) for state in LIFE_CYCLE_STATES]
    options: dict[str, list[tuple[str, str]]] = {"life_cycle_state": states}
    for name, target in spec.refs.items():
        other = config.BY_NAME[target]
        column = getattr(other.model, other.key)
        options[name] = [(key, key) for key in db.scalars(select(column).order_by(column))]
    return options


def statuses(db: Session) -> list[tuple[str, list[LeadStatus]]]:
    """Returns the lead statuses a lead type may allow under their life cycle state's
    label, in pipeline order, then by name."""
    rows = list(db.scalars(select(LeadStatus).order_by(LeadStatus.name)))
    grouped = [(s.label, [r for r in rows if r.life_cycle_state == s]) for s in LIFE_CYCLE_STATES]
    return [(label, group) for label, group in grouped if group]


def current(spec: config.Section, row: Any) -> dict[str, str]:
    """Returns ``row``'s values as its form shows them."""
    shown: dict[str, str] = {}
    for field in fields(spec):
        value = getattr(row, field.name)
        if field.kind == "ref":
            value = getattr(value, config.BY_NAME[field.ref or ""].key) if value else None
        if field.kind == "flag":
            shown[field.name] = "on" if value else ""
        else:
            shown[field.name] = "" if value is None else str(value)
    if spec.name == "lead_types":
        shown.update({STATUS + s.name: "on" for s in row.statuses})
    return shown


def posted(spec: config.Section, form: dict[str, str]) -> dict[str, Any]:
    """Returns the values a posted form gives: a blank input clears its column (a
    required one is refused as blank; one with a default is left alone)."""
    values: dict[str, Any] = {}
    columns = spec.model.__table__.columns
    for field in fields(spec):
        text = (form.get(field.name) or "").strip()
        if field.kind == "flag":
            values[field.name] = bool(text)
        elif text or field.required:
            values[field.name] = text
        elif field.kind == "ref" or columns[field.name].nullable:
            values[field.name] = None
    if spec.name == "lead_types":
        values["statuses"] = [name[len(STATUS) :] for name in form if name.startswith(STATUS)]
    return values
