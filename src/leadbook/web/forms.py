"""The lead form: what a browser posts, turned into the domain's LeadChanges.

The form only parses text (numbers, dates, chosen rows); every rule about a lead's
fields is the domain's, and its message is shown next to the form. Editing sends only
the fields the user changed, so an untouched field is never rewritten (no spurious
history entries, no recomputed estimate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import contacts
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.contacts import NewContact
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.periods import UNITS
from leadbook.domain.vocabulary import IMPORTANCES, NAMED_SOURCES, PRIORITIES, SOURCE_TYPES
from leadbook.web import board

# the form's selects of rows: field name → model
ROWS = {
    "type": m.LeadType,
    "status": m.LeadStatus,
    "category": m.LeadCategory,
    "assigned_user": m.User,
    "owned_by_group": m.Group,
}
NUMBERS = {"priority": "Priority", "probability_to_win": "Probability", "target_amount": "Amount"}
TEXTS = ("topic", "description", "contact_email", "contact_phone")
DATES = {"start_date": "Start date", "expected_completion_date": "Expected completion"}
NEW_CONTACT = ("first_name", "last_name", "company_name")
WEB_SOURCE_NAME = "Web"  # the new lead form's source name, shown filled in


@dataclass
class LeadForm:
    """The posted form, as text, so a refused form is shown again as typed."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def blank(cls, type: str = "", status: str = "") -> LeadForm:
        """Returns the form for a new lead (of ``type`` in ``status`` when given)."""
        return cls(
            {
                "type": type,
                "status": status,
                "importance": "IMPORTANCE3",
                "priority": "3",
                "start_date": date.today().isoformat(),
                # a source the user sees (and may change): the domain needs a name for it
                "source_type": "OTHER",
                "source_name": WEB_SOURCE_NAME,
                "estimate_unit": "DAYS",
            }
        )

    @classmethod
    def of(cls, lead: m.Lead) -> LeadForm:
        """Returns the form filled with ``lead``'s current values."""
        return cls(
            {
                "type": lead.type_id,
                "status": lead.status_id,
                "category": lead.category_id or "",
                "importance": lead.importance,
                "priority": _text(lead.priority),
                "probability_to_win": _text(lead.probability_to_win),
                "target_amount": _text(lead.target_amount),
                "topic": lead.topic or "",
                "description": lead.description or "",
                "contact_email": lead.contact_email or "",
                "contact_phone": lead.contact_phone or "",
                "start_date": _day(lead.start_date),
                "expected_completion_date": _day(lead.expected_completion_date),
                "estimate_value": _text(lead.estimated_time_value),
                "estimate_unit": lead.estimated_time_uot or "DAYS",
                "contact": contacts.label(lead.contact),
                "source_type": lead.source_type,
                "source_name": lead.source_name or "",
                "assigned_user": lead.assigned_user_id or "",
                "owned_by_group": lead.owned_by_group_id or "",
            }
        )

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def changes(self, db: Session, original: LeadForm | None = None) -> LeadChanges:
        """Returns the LeadChanges the form asks for: every filled field for a new lead
        (``original`` None), the posted fields that differ from ``original`` for an
        existing one. A new contact named
        in the form is created on the way (the request rolls back if the lead is refused)."""
        creating = original is None

        def wanted(name: str) -> bool:
            if original is None:
                return bool(self.get(name))
            # a field the post does not carry is left alone; a blank one clears
            return name in self.values and self.get(name) != original.get(name)

        values: dict = {}
        for name, model in ROWS.items():
            if wanted(name):
                values[name] = _row(db, model, self.get(name), name) if self.get(name) else None
        if wanted("importance"):
            values["importance"] = self.get("importance") or None
        for name, label in NUMBERS.items():
            if wanted(name):
                values[name] = _number(self.get(name), label)
        for name in TEXTS:
            if wanted(name):
                values[name] = self.get(name) or None
        for name, label in DATES.items():
            if wanted(name):
                values[name] = _date(self.get(name), label)
        result = LeadChanges(values=values)
        if wanted("estimate_value") or (self.get("estimate_value") and wanted("estimate_unit")):
            result.estimated_given = True
            amount = _number(self.get("estimate_value"), "Estimate")
            if amount is not None:
                result.estimated_completion_time = (amount, self.get("estimate_unit") or "DAYS")
        if creating or wanted("contact") or any(self.get(n) for n in NEW_CONTACT):
            values["contact"] = self._contact(db)
        if creating or wanted("source_type") or wanted("source_name"):
            result.source = Source(
                type=self.get("source_type") or "OTHER", name=self.get("source_name") or None
            )
        return result

    def _contact(self, db: Session) -> m.Contact | NewContact:
        """The contact the form names: the one typed (found by the domain), else a new one."""
        if self.get("contact"):  # typed or picked: the domain finds the one it names
            return contacts.named(db, self.get("contact"))
        kind = self.get("new_contact_type") or "PERSON"
        names = ("company_name",) if kind == "COMPANY" else ("first_name", "last_name")
        values = {name: self.get(name) for name in names if self.get(name)}
        if not values:
            raise MandatoryParameterMissing(
                "Choose a contact, or give the name of a new person or company"
            )
        return NewContact(type=kind, values=values)


def choices(db: Session, type_id: str = "") -> dict:
    """Returns what the form's selects offer: the statuses of the chosen type (``type_id``,
    else the first type, which the select shows chosen)."""

    def rows(model, order):
        return list(db.scalars(select(model).order_by(order)))

    types = rows(m.LeadType, m.LeadType.name)
    return {
        "types": types,
        "statuses": board.statuses_of(board.chosen_type(types, type_id)),
        "categories": rows(m.LeadCategory, m.LeadCategory.name),
        "users": rows(m.User, m.User.username),
        "groups": rows(m.Group, m.Group.name),
        "importances": IMPORTANCES,
        "priorities": list(PRIORITIES),
        "source_types": SOURCE_TYPES,
        "named_sources": NAMED_SOURCES,
        "units": UNITS,
        "reasons": rows(m.LostReason, m.LostReason.name),
    }


def _row(db: Session, model: type, row_id: str, name: str):
    row = db.get(model, row_id)
    if row is None:
        raise InvalidValue(f"The {name.replace('_', ' ')} chosen does not exist any more")
    return row


def _number(text: str, label: str) -> int | float | None:
    """Parses a number as typed (a decimal comma too); whole numbers stay int."""
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidValue(f"{label} must be a number, not {text!r}") from None
    return int(value) if value.is_integer() else value


def _date(text: str, label: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    except ValueError:
        raise InvalidValue(f"{label} must be a date (YYYY-MM-DD), not {text!r}") from None


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


def _text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
