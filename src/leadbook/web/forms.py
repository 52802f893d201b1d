"""The lead form: what a browser posts, turned into the domain's LeadChanges.

Blank fields mean "not given"; the domain decides what is missing or wrong, and its
message is shown next to the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain.contacts import NewContact, create_contact
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.leads import IMPORTANCES, SOURCE_TYPES, LeadChanges, Source

FIELDS = (
    "type",
    "status",
    "category",
    "importance",
    "priority",
    "probability_to_win",
    "target_amount",
    "topic",
    "description",
    "contact_email",
    "contact_phone",
    "expected_completion_date",
    "contact",
    "new_contact_type",
    "first_name",
    "last_name",
    "company_name",
    "source_type",
    "source_name",
    "assigned_user",
)


@dataclass
class LeadForm:
    """The posted form, as text, so a refused form is shown again as typed."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, lead: m.Lead) -> LeadForm:
        """Returns the form filled with ``lead``'s current values."""
        due = lead.expected_completion_date
        return cls(
            {
                "type": lead.type_id,
                "status": lead.status_id,
                "category": lead.category_id or "",
                "importance": lead.importance,
                "priority": str(lead.priority),
                "probability_to_win": _text(lead.probability_to_win),
                "target_amount": _text(lead.target_amount),
                "topic": lead.topic or "",
                "description": lead.description or "",
                "contact_email": lead.contact_email or "",
                "contact_phone": lead.contact_phone or "",
                "expected_completion_date": due.date().isoformat() if due else "",
                "source_type": lead.source_type,
                "source_name": lead.source_name or "",
                "assigned_user": lead.assigned_user_id or "",
            }
        )

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def changes(self, db: Session, *, creating: bool) -> LeadChanges:
        """Returns the LeadChanges the form asks for (contacts are created as needed)."""
        values: dict = {}
        for name, model in (
            ("type", m.LeadType),
            ("status", m.LeadStatus),
            ("category", m.LeadCategory),
            ("assigned_user", m.User),
        ):
            if self.get(name):
                values[name] = _row(db, model, self.get(name), name)
            elif not creating and name in ("category",):
                values[name] = None
        if self.get("importance"):
            values["importance"] = self.get("importance")
        if self.get("priority"):
            values["priority"] = _number(self.get("priority"), "Priority", whole=True)
        for name, label in (("probability_to_win", "Probability"), ("target_amount", "Amount")):
            if self.get(name) or not creating:
                values[name] = _number(self.get(name), label) if self.get(name) else None
        for name in ("topic", "description", "contact_email", "contact_phone"):
            if self.get(name) or not creating:
                values[name] = self.get(name) or None
        due = self.get("expected_completion_date")
        if due:
            try:
                values["expected_completion_date"] = datetime.fromisoformat(due)
            except ValueError:
                raise InvalidValue(f"Expected completion must be a date, not {due!r}") from None
            if creating:
                values["start_date"] = min(
                    datetime.now().replace(microsecond=0), values["expected_completion_date"]
                )
        result = LeadChanges(values=values)
        if creating:
            values["contact"] = self._contact(db)
        if self.get("source_type") or creating:
            result.source = Source(
                type=self.get("source_type") or "OTHER", name=self.get("source_name") or None
            )
        return result

    def _contact(self, db: Session) -> m.Contact:
        if self.get("contact"):
            return _row(db, m.Contact, self.get("contact"), "contact")
        kind = self.get("new_contact_type") or "PERSON"
        names = ("company_name",) if kind == "COMPANY" else ("first_name", "last_name")
        values = {name: self.get(name) for name in names if self.get(name)}
        if not values:
            raise MandatoryParameterMissing(
                "Choose a contact, or give the name of a new person or company"
            )
        return create_contact(db, NewContact(type=kind, values=values))


def choices(db: Session) -> dict:
    """Returns what the form's selects offer."""

    def rows(model, order):
        return list(db.scalars(select(model).order_by(order)))

    return {
        "types": rows(m.LeadType, m.LeadType.name),
        "statuses": rows(m.LeadStatus, m.LeadStatus.name),
        "categories": rows(m.LeadCategory, m.LeadCategory.name),
        "users": rows(m.User, m.User.username),
        "contacts": rows(m.Contact, m.Contact.number),
        "importances": IMPORTANCES,
        "source_types": SOURCE_TYPES,
        "reasons": rows(m.LostReason, m.LostReason.name),
    }


def _row(db: Session, model: type, row_id: str, name: str):
    row = db.get(model, row_id)
    if row is None:
        raise InvalidValue(f"The {name.replace('_', ' ')} chosen does not exist any more")
    return row


def _number(text: str, label: str, whole: bool = False):
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidValue(f"{label} must be a number, not {text!r}") from None
    if whole:
        if not value.is_integer():
            raise InvalidValue(f"{label} must be a whole number")
        return int(value)
    return value


def _text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
