"""The demo data set: reference data, seed tokens and leads, loaded idempotently."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.auth.tokens import token_hash
from leadbook.domain import clock, identifiers, leads, lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, ProductItem, SetEdit, Source
from leadbook.refdata import config

DATA = Path(__file__).with_name("demo.yaml")
ADMIN = "mpadministrator"
PASSWORD = "leadbook-demo"


def document() -> dict[str, Any]:
    """Returns the demo data file, parsed."""
    return config.load_yaml(DATA.read_text())


def load(db: Session, *, seed_tokens: bool = False) -> dict[str, int]:
    """Loads what is missing of the demo data; returns how many leads and tokens it added.

    ``seed_tokens`` installs the literal tokens of the CRM.COM seed examples as never
    expiring tokens of the administrator (anyone who reads the seeds knows them, so only
    on request). Running it again changes nothing: reference rows are applied
    idempotently, and demo leads or tokens that exist (however they were changed since)
    are left alone.
    """
    doc = document()
    config.apply(db, doc, ignore={"tokens", "leads"})
    admin = db.execute(select(m.User).where(m.User.username == ADMIN)).scalar_one()
    added_tokens = 0
    for token in doc.get("tokens", []) if seed_tokens else ():
        if db.get(m.AccessToken, token_hash(token)) is None:
            db.add(
                m.AccessToken(
                    token_hash=token_hash(token),
                    user=admin,
                    unit=admin.unit,
                    label="demo key (seed examples)",
                )
            )
            added_tokens += 1
    db.flush()
    actor = Actor(user=admin, unit=admin.unit, via="demo")
    added_leads = 0
    for spec in doc.get("leads", []):
        if db.scalar(select(m.Lead.id).where(m.Lead.number == spec["number"])) is None:
            _lead(db, actor, spec)
            added_leads += 1
    return {"leads": added_leads, "tokens": added_tokens}


def _get(db: Session, kind: str, field: str, value: Any):
    return identifiers.resolve(db, kind, {field: value}, param=f"demo {kind}")


def _start(value: Any) -> datetime:
    if isinstance(value, int):
        today = clock.now().replace(hour=9, minute=30, second=0)
        return today + timedelta(days=value)
    return datetime.fromisoformat(value)


def _lead(db: Session, actor: Actor, spec: dict[str, Any]) -> m.Lead:
    values: dict[str, Any] = {
        "type": _get(db, "lead_type", "name", spec["type"]),
        "contact": _get(db, "contact", "number", spec["contact"]),
        "importance": spec["importance"],
        "priority": spec["priority"],
        "start_date": _start(spec["start_date"]),
    }
    for key in ("target_amount", "probability_to_win", "contact_email", "contact_phone"):
        if key in spec:
            values[key] = spec[key]
    if "status" in spec:
        values["status"] = _get(db, "lead_status", "name", spec["status"])
    if "group" in spec:
        values["owned_by_group"] = _get(db, "group", "name", spec["group"])
    if "assigned_user" in spec:
        values["assigned_user"] = _get(db, "user", "username", spec["assigned_user"])
    if "subscription_package" in spec:
        values["subscription_package"] = _get(
            db, "subscription_package", "name", spec["subscription_package"]
        )
    source_spec = dict(spec["source"])
    source = Source(type=source_spec.pop("type"), name=source_spec.pop("name", None))
    refs = {
        "communication": "number",
        "notification": "number",
        "contact": "number",
        "user": "username",
    }
    for attr, value in source_spec.items():
        setattr(source, attr, _get(db, attr, refs[attr], value))
    products = [
        ProductItem(kind, field, _product_row(db, field, key))
        for kind, field, key in spec.get("products", [])
    ]
    changes = LeadChanges(
        values=values,
        estimated_completion_time=tuple(spec["estimate"]),
        estimated_given=True,
        source=source,
        competitors=SetEdit(
            add=[_get(db, "competitor", "name", n) for n in spec.get("competitors", [])]
        ),
        users=SetEdit(add=[_get(db, "user", "username", n) for n in spec.get("users", [])]),
        products=SetEdit(add=products),
    )
    lead = leads.create(db, actor, changes, number=spec["number"])
    for move in spec.get("moves", []):
        if isinstance(move, list):
            lifecycle.lose(db, actor, lead, _get(db, "lost_reason", "name", move[1]))
        elif move == "win":
            lifecycle.win(db, actor, lead)
        else:
            getattr(lifecycle, move)(db, actor, lead)
    return lead


def _product_row(db: Session, field: str, key: str):
    if field == "product":
        return _get(db, "product", "alternative_code", key)
    return _get(db, field, "name", key)
