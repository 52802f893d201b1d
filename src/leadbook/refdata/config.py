"""Reference data as code: a YAML document applied idempotently, or exported.

Each section lists rows named by a natural key (``name``, ``username``, ``number`` or
``code``); applying creates the missing rows and brings the others to what the file says.
References name the other row by its key (``unit: Admin Unit``). Rows absent from the file
are left alone: applying never deletes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.auth.passwords import hash_password, verify_password
from leadbook.config import get_settings
from leadbook.domain import accounts, scoring, subscriptions, vocabulary
from leadbook.domain.actor import Actor
from leadbook.domain.assignment import check_rule
from leadbook.domain.capture import check_form
from leadbook.domain.contacts import become_customer
from leadbook.domain.errors import Conflict, DomainError, InvalidValue
from leadbook.domain.workflow import targets
from leadbook.refdata import rows


@dataclass(frozen=True)
class Section:
    """One kind of row in the file: its model, natural key and references."""

    name: str
    model: type[Any]
    key: str
    refs: dict[str, str] = field(default_factory=dict)  # attribute → section it names


SECTIONS = (
    Section("countries", m.Country, "name"),
    Section("groups", m.Group, "name"),
    Section("units", m.Unit, "name", {"group": "groups"}),
    Section("privacy_levels", m.PrivacyLevel, "number"),
    Section("users", m.User, "username", {"unit": "units", "clearance": "privacy_levels"}),
    Section("lead_statuses", m.LeadStatus, "name"),
    Section("lead_categories", m.LeadCategory, "name"),
    Section("lost_reasons", m.LostReason, "name"),
    Section(
        "lead_types",
        m.LeadType,
        "name",
        {
            "default_category": "lead_categories",
            "create_status": "lead_statuses",
            "start_status": "lead_statuses",
            "win_status": "lead_statuses",
            "lost_status": "lead_statuses",
            "cancel_status": "lead_statuses",
        },
    ),
    Section("competitors", m.Competitor, "name"),
    Section("product_types", m.ProductType, "name"),
    Section("products", m.Product, "code", {"product_type": "product_types"}),
    Section("product_brands", m.ProductBrand, "name"),
    Section("product_families", m.ProductFamily, "name"),
    Section("subscription_packages", m.SubscriptionPackage, "name"),
    Section(
        "contacts",
        m.Contact,
        "number",
        {
            "country_of_residence": "countries",
            "id_issued_by_country": "countries",
            "passport_issued_by_country": "countries",
            "registered_in_country": "countries",
        },
    ),
    Section("accounts_receivable", m.AccountsReceivable, "number", {"owner": "contacts"}),
    Section("communications", m.Communication, "number", {"contact": "contacts"}),
    Section(
        "notifications",
        m.Notification,
        "number",
        {"contact": "contacts", "accounts_receivable": "accounts_receivable"},
    ),
    Section(
        "assignment_rules",
        m.AssignmentRule,
        "name",
        {"unit": "units", "group": "groups", "user": "users"},
    ),
    Section("scoring_rules", m.ScoringRule, "name"),
    Section(
        "intake_forms",
        m.IntakeForm,
        "key",
        {"lead_type": "lead_types", "user": "users", "rule": "assignment_rules"},
    ),
)
BY_NAME = {s.name: s for s in SECTIONS}
# sections whose rows a domain module of their own checks and saves, after the others
RULED = ("webhooks",)
# keys of the file that are not columns: handled specially
SPECIAL = {"users": {"password"}, "lead_types": {"statuses", "rotting_days"}}
# the domain's check of a row of a section, once applied
CHECKS: dict[str, Callable[[Any], None]] = {
    "assignment_rules": check_rule,
    "intake_forms": check_form,
    "lead_types": targets.check_type,
    "lead_statuses": vocabulary.check_status,
    "scoring_rules": scoring.check_rule,
}


@dataclass
class Outcome:
    """How many rows applying created, changed and left as they were, per section."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, section: str) -> None:
        counts = getattr(self, bucket)
        counts[section] = counts.get(section, 0) + 1


def load_yaml(text: str) -> dict[str, Any]:
    """Returns the document in ``text``, refusing anything but a mapping of lists."""
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InvalidValue(f"The configuration is not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise InvalidValue("The configuration must be a mapping of section: [rows]")
    return document


def find(db: Session, section: Section, key: Any):
    """Returns the row of ``section`` whose natural key is ``key``, or None."""
    column = getattr(section.model, section.key)
    return db.scalar(select(section.model).where(column == str(key)))


def apply(
    db: Session,
    document: dict[str, Any],
    *,
    ignore: Collection[str] = frozenset(),
    actor: Actor | None = None,
) -> Outcome:
    """Creates or updates every row ``document`` lists; returns what it did. A user's
    change keeps the rules of ``domain.accounts`` (``actor``: who applies it, if known)."""
    unknown = set(document) - set(BY_NAME) - set(RULED) - set(ignore)
    if unknown:
        raise InvalidValue(f"Unknown section(s): {', '.join(sorted(unknown))}")
    outcome = Outcome()
    for section in SECTIONS:
        rows = document.get(section.name) or []
        if not isinstance(rows, list):
            raise InvalidValue(f"Section {section.name} must be a list")
        for index, row in enumerate(rows):
            where = f"{section.name}[{index}]"
            if not isinstance(row, dict) or row.get(section.key) in (None, ""):
                raise InvalidValue(f"{where} needs a {section.key}")
            row_object = _apply_row(db, section, dict(row), where, outcome)
            if section.name == "users":
                try:
                    accounts.check_change(db, actor, row_object)
                except DomainError as exc:
                    exc.field = f"{where}.{exc.field}" if exc.field else where
                    raise
            if section.name in CHECKS:
                try:
                    CHECKS[section.name](row_object)
                except InvalidValue as exc:
                    field = f"{where}.{exc.field}" if exc.field else where
                    raise InvalidValue(f"{where}: {exc.message}", field=field) from None
        db.flush()
    _apply_webhooks(db, document.get("webhooks") or [], outcome)
    return outcome


def _apply_webhooks(db: Session, items: Any, outcome: Outcome) -> None:
    """Saves the webhook subscriptions listed (by name), with the rules of the admin API."""
    if not isinstance(items, list):
        raise InvalidValue("Section webhooks must be a list")
    public = get_settings().public_url
    for index, row in enumerate(items):
        if not isinstance(row, dict) or not row.get("name"):
            raise InvalidValue(f"webhooks[{index}] needs a name")
        given = {key: value for key, value in row.items() if key != "name"}
        try:
            _, done = subscriptions.save(
                db, str(row["name"]), given, own=[public] if public else []
            )
        except DomainError as exc:
            raise InvalidValue(f"webhooks[{index}]: {exc.message}", field=exc.field) from None
        outcome.count(done, "webhooks")


def _apply_row(db: Session, section: Section, row: dict, where: str, outcome: Outcome) -> Any:
    skip = {*section.refs, "role"}
    row = {**row, **rows.check(section.name, section.model, row, skip, where)}
    columns = {c.key for c in section.model.__table__.columns}
    special = SPECIAL.get(section.name, set())
    values: dict[str, Any] = {}
    for key, value in row.items():
        if key in section.refs:
            target = BY_NAME[section.refs[key]]
            found = None if value is None else find(db, target, value)
            if value is not None and found is None:
                raise InvalidValue(f"{where}.{key}: no {target.name} row {value!r}")
            values[key] = found
        elif key == "role" and section.name == "users":
            values[key] = _role(value, where)
        elif key in columns:
            values[key] = str(value) if key == section.key else value
        elif key not in special:
            raise InvalidValue(f"{where}: unknown field {key!r}")
    existing = find(db, section, row[section.key])
    if existing is None and row.get("id"):
        existing = db.get(section.model, str(row["id"]))
    _check_unique(db, section, values, existing, where)
    if existing is None:
        if "id" in values:
            values["id"] = str(values["id"])
        existing = section.model(**values)
        db.add(existing)
        changed, bucket = True, "created"
    else:
        values.pop("id", None)
        changed = False
        for key, value in values.items():
            if getattr(existing, key) != value:
                setattr(existing, key, value)
                changed = True
        bucket = "updated" if changed else "unchanged"
    if section.name == "accounts_receivable" and existing.owner is not None:
        become_customer(existing.owner)
    password = row.get("password") if section.name == "users" else None
    if password and not (
        existing.password_hash and verify_password(existing.password_hash, str(password))
    ):
        existing.password_hash = hash_password(str(password))
        bucket = "created" if bucket == "created" else "updated"
    if section.name == "lead_types" and "statuses" in row:
        statuses = []
        for name in row["statuses"] or []:
            status = find(db, BY_NAME["lead_statuses"], name)
            if status is None:
                raise InvalidValue(f"{where}.statuses: no lead status {name!r}")
            statuses.append(status)
        if {s.id for s in existing.statuses} != {s.id for s in statuses if s.id}:
            existing.statuses = statuses
            bucket = "created" if bucket == "created" else "updated"
    rotting = row.get("rotting_days") if section.name == "lead_types" else None
    if rotting is not None and targets.set_rotting(db, existing, rotting, where):
        bucket = "created" if bucket == "created" else "updated"
    outcome.count(bucket, section.name)
    return existing


def _check_unique(db: Session, section: Section, values: dict, existing: Any, where: str) -> None:
    """Refuses a value of a unique column (a code) that another row of the section holds."""
    for column in section.model.__table__.columns:
        given = values.get(column.key)
        if not column.unique or column.key == section.key or given in (None, ""):
            continue
        other = db.scalar(select(section.model).where(column == given))
        if other is not None and other is not existing:
            taker = getattr(other, section.key)
            raise Conflict(
                f"{{field}}: {given!r} is taken by {section.name} {taker!r}",
                field=f"{where}.{column.key}",
            )


def _role(value: Any, where: str) -> m.Role:
    """Returns the role ``value`` names (any case), or refuses it."""
    try:
        return m.Role(str(value).upper())
    except ValueError:
        roles = ", ".join(m.Role)
        raise InvalidValue(f"{where}.role must be one of {roles}, not {value!r}") from None


def export(db: Session, sections=SECTIONS) -> dict[str, list[dict[str, Any]]]:
    """Returns the reference rows of ``sections`` as a document ``apply`` accepts
    (passwords are never exported)."""
    document: dict[str, list[dict[str, Any]]] = {}
    for section in sections:
        model = section.model
        rows = []
        for row in db.scalars(select(model).order_by(getattr(model, section.key))):
            item: dict[str, Any] = {}
            for column in model.__table__.columns:
                key = column.key
                if key in ("password_hash",) or key.endswith("_id") and key != "id":
                    continue
                value = getattr(row, key)
                if isinstance(value, Enum):
                    item[key] = value.value
                elif value is not None:
                    item[key] = value.isoformat() if hasattr(value, "isoformat") else value
            for attr, target in section.refs.items():
                ref = getattr(row, attr)
                if ref is not None:
                    item[attr] = getattr(ref, BY_NAME[target].key)
            if section.name == "lead_types":
                item["statuses"] = sorted(s.name for s in row.statuses)
                rotting = targets.rotting_of(db, row)
                if rotting:
                    item["rotting_days"] = rotting
            rows.append(item)
        document[section.name] = rows
    return document


def export_webhooks(db: Session, *, secrets: bool = False) -> list[dict[str, Any]]:
    """Returns the webhook subscriptions as the ``webhooks`` section ``apply`` accepts
    (their signing secrets only when asked)."""
    found = db.scalars(select(m.WebhookSubscription).order_by(m.WebhookSubscription.name))
    return [subscriptions.exported(row, secret=secrets) for row in found]
