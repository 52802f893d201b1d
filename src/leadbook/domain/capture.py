"""Capture: a web form's submission becomes a lead, through the same create (and so the
same duplicate check and assignment rules) as every face.

A form maps its fields to the contact (first_name, last_name, company_name, email,
phone) and the lead (topic, description, udf_string_1..8); other fields are ignored,
except the attribution kept on the lead (UTM parameters, gclid, fbclid, landing_url).
The same person (email or phone) submitting the same form again within the form's
double-submit window gets the first submission's lead, not a second one.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from leadbook import models as m
from leadbook.domain import clock, leads
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.contacts import NewContact
from leadbook.domain.duplicates import recent_lead
from leadbook.domain.errors import InvalidValue, NotFound
from leadbook.domain.values import text as checked_text

CONTACT_FIELDS = ("first_name", "last_name", "company_name", "email", "phone")
LEAD_FIELDS = ("topic", "description", *(f"udf_string_{i}" for i in range(1, 9)))
ATTRIBUTION = (
    *(f"utm_{p}" for p in ("source", "medium", "campaign", "term", "content")),
    "gclid",
    "fbclid",
    "landing_url",
)
ATTRIBUTION_LIMIT = 2000  # characters of one attribution value
HONEYPOT = "leadbook_hp"
DOUBLE_SUBMIT_MINUTES = 10  # the hidden field people leave empty and robots fill


def check_form(form: m.IntakeForm) -> None:
    """Refuses a form whose mapping names no known field (none is needed by a form that
    only receives mail), whose window is no whole number of minutes, whose origins are not
    ``scheme://host[:port]`` or whose mail address is no address or another form's."""
    _check_address(form)
    if form.field_map is None:
        form.field_map = {}
    if not isinstance(form.field_map, dict) or not (form.field_map or form.email_address):
        raise InvalidValue("{field} must map form fields to lead fields", field="field_map")
    for name, target in form.field_map.items():
        if target not in CONTACT_FIELDS + LEAD_FIELDS:
            known = ", ".join(CONTACT_FIELDS + LEAD_FIELDS)
            raise InvalidValue(
                f"{{field}}.{name}: {target!r} is not one of {known}", field="field_map"
            )
    if form.double_submit_minutes is None:  # left out: the default
        form.double_submit_minutes = DOUBLE_SUBMIT_MINUTES
    if form.allowed_origins is None:
        form.allowed_origins = []
    minutes = form.double_submit_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 1440:
        raise InvalidValue(
            "{field} must be a whole number of minutes, 0 to 1440", field="double_submit_minutes"
        )
    origins = form.allowed_origins
    if not isinstance(origins, list) or not all(_is_origin(o) for o in origins):
        raise InvalidValue(
            "{field} must be a list of origins such as https://www.example.com",
            field="allowed_origins",
        )


def _check_address(form: m.IntakeForm) -> None:
    """Stores the form's mail address case-folded, refusing one that is no address or is
    another form's."""
    if form.email_address is None:
        return
    address = form.email_address.strip().casefold()
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or any(c.isspace() or c in "<>,;" for c in address):
        raise InvalidValue(
            "{field} must be an address such as leads@example.com", field="email_address"
        )
    form.email_address = address
    db = object_session(form)
    if db is not None:
        with db.no_autoflush:
            other = db.scalar(
                select(m.IntakeForm.key).where(
                    m.IntakeForm.email_address == address, m.IntakeForm.id != form.id
                )
            )
        if other is not None:
            raise InvalidValue(f"{{field}} {address} is form {other!r}'s", field="email_address")


def _is_origin(text: object) -> bool:
    if not isinstance(text, str):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path == ""


def find_form(db: Session, key: str) -> m.IntakeForm:
    """Returns the active form ``key``, or raises NotFound."""
    form = db.query(m.IntakeForm).filter_by(key=key, is_active=True).one_or_none()
    if form is None:
        raise NotFound(f"No form {key!r}")
    return form


def submit(db: Session, form: m.IntakeForm, fields: dict[str, str]) -> tuple[m.Lead, bool]:
    """Returns the lead of a submission and whether it is new (else a double submit)."""
    contact: dict[str, str] = {}
    values: dict = {}
    for name, target in form.field_map.items():
        text = (fields.get(name) or "").strip()
        if text:
            (contact if target in CONTACT_FIELDS else values)[target] = text
    since = clock.now() - timedelta(minutes=form.double_submit_minutes)
    source_name = form.source_name or form.key
    earlier = recent_lead(db, contact, source_name, since)
    if earlier is not None:
        return earlier, False
    attribution = {}
    for key in ATTRIBUTION:
        text = (fields.get(key) or "").strip()
        if len(text) > ATTRIBUTION_LIMIT:
            raise InvalidValue(f"{{field}} is longer than {ATTRIBUTION_LIMIT}", field=key)
        if text:
            attribution[key] = checked_text(text, key)
    names = {k: v for k, v in contact.items() if k in ("first_name", "last_name")}
    kind = "COMPANY" if "company_name" in contact and not names else "PERSON"
    if kind == "PERSON":
        contact.pop("company_name", None)
    values |= {
        "type": form.lead_type,
        "importance": form.importance,
        "priority": form.priority,
        "contact": NewContact(type=kind, values=contact),
        "attribution": attribution or None,
    }
    changes = LeadChanges(values=values, source=Source(type=form.source_type, name=source_name))
    actor = Actor(user=form.user, unit=form.user.unit, via="intake")
    return leads.create(db, actor, changes, rule=form.rule), True
