"""Contacts: those created on the way (a lead's new contact, a won lead's new customer
account) and those a person picks by typing (``suggest``, ``named``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from leadbook.domain import identity, search
from leadbook.domain import values as checks
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.numbering import next_code
from leadbook.models import AccountsReceivable, Contact, Country

CONTACT_TYPES = ("PERSON", "COMPANY")
GENDERS = ("MALE", "FEMALE")
PERSON_ONLY = (
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "id_number",
    "passport_number",
    "social_security_number",
    "birth_day",
    "birth_month",
    "birth_year",
    "name_day_day",
    "name_day_month",
)
TEXT_LIMITS = {c.key: c.type.length for c in Contact.__table__.columns if hasattr(c.type, "length")}


@dataclass
class NewContact:
    """What a caller gives to create a contact; ``countries`` are resolved rows;
    ``on_duplicate`` overrides the configured duplicate policy (duplicates.py)."""

    type: str | None  # PERSON or COMPANY; anything else is refused
    values: dict[str, Any] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    on_duplicate: str | None = None


def create_contact(db: Session, new: NewContact) -> Contact:
    """Creates and returns a MARKETING contact after checking it makes sense."""
    kind = str(new.type or "").upper()
    if kind not in CONTACT_TYPES:
        raise InvalidValue(
            f"{{field}} must be PERSON or COMPANY, not {new.type!r}", field="contact.type"
        )
    values = {k: v for k, v in new.values.items() if v is not None}
    for key, value in values.items():
        limit = TEXT_LIMITS.get(key)
        if isinstance(value, str):
            checks.text(value, f"contact.{key}")
        if limit and isinstance(value, str) and len(value) > limit:
            raise InvalidValue(
                f"{{field}} is longer than {limit} characters", field=f"contact.{key}"
            )
    if "annual_turnover" in values:
        values["annual_turnover"] = checks.number(
            values["annual_turnover"], "company_profile.annual_turnover", low=0
        )
    if "number_of_employees" in values:
        values["number_of_employees"] = checks.whole(
            values["number_of_employees"], "company_profile.number_of_employees", low=0
        )
    if kind == "PERSON":
        if not (values.get("first_name") or values.get("last_name")):
            raise MandatoryParameterMissing(
                "{field}: a new PERSON needs a first_name or a last_name", field="contact"
            )
        if values.get("gender") is not None:
            gender = str(values["gender"]).upper()
            if gender not in GENDERS:
                raise InvalidValue("{field} must be MALE or FEMALE", field="contact.gender")
            values["gender"] = gender
        _check_day_month(values)
    else:
        if not values.get("company_name"):
            raise MandatoryParameterMissing(
                "{field}: a new COMPANY needs a company_name", field="contact"
            )
        given = [k for k in PERSON_ONLY if k in values]
        if given:
            raise InvalidValue(
                f"{{field}}: {', '.join(given)} apply to a PERSON, not a COMPANY",
                field="contact",
            )
    number = next_code(db, "contact", "CI", 6, Contact.number)
    contact = Contact(type=kind, number=number, **values)
    for key, country in new.countries.items():
        setattr(contact, key, country)
    db.add(contact)
    return contact


def _check_day_month(values: dict[str, Any]) -> None:
    for key, low, high in (
        ("birth_day", 1, 31),
        ("birth_month", 1, 12),
        ("birth_year", 1850, 2200),
        ("name_day_day", 1, 31),
        ("name_day_month", 1, 12),
    ):
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(
                f"{{field}}: {key} must be a whole number {low}..{high}", field="contact"
            )
    checks.day(
        values.get("birth_year"),
        values.get("birth_month"),
        values.get("birth_day"),
        "contact_information.demographics.date_of_birth",
    )
    checks.day(
        None,
        values.get("name_day_month"),
        values.get("name_day_day"),
        "contact_information.demographics.name_day",
    )


def find_company(db: Session, name: str) -> Contact | None:
    """Returns the company contact called ``name`` (the first, when several share it)."""
    return db.scalars(
        select(Contact)
        .where(Contact.type == "COMPANY", Contact.company_name == name)
        .order_by(Contact.number)
        .limit(1)
    ).first()


def accounts_of(db: Session, contact: Contact) -> list[AccountsReceivable]:
    """Returns the accounts receivable ``contact`` owns."""
    return list(
        db.scalars(select(AccountsReceivable).where(AccountsReceivable.owner_id == contact.id))
    )


def open_account(db: Session, owner: Contact, name: str | None = None, description=None):
    """Creates an account receivable for ``owner``, who becomes a customer (FINANCIAL)."""
    number = next_code(db, "accounts_receivable", "ACR", 10, AccountsReceivable.number)
    account = AccountsReceivable(
        number=number,
        name=name or f"{number} {owner.display_name}".strip(),
        owner=owner,
        description=description,
    )
    become_customer(owner)
    db.add(account)
    return account


def become_customer(owner: Contact) -> None:
    """Marks the owner of an accounts receivable a customer (FINANCIAL)."""
    owner.life_cycle_state = "FINANCIAL"


SUGGESTED = 10  # the most contacts ``suggest`` returns
NAMESAKES = 200  # the most contacts of one name key ``named`` compares
LABELLED = re.compile(r"\(([^()]+)\)\s*$")  # "Ada Lovelace (CI000012)": the number


def label(contact: Contact) -> str:
    """Returns how a picker shows ``contact`` and takes it back: its name, then its number
    in brackets (``named`` reads the number)."""
    name = contact.display_name or contact.email or ""
    return f"{name} ({contact.number})".strip() if contact.number else name


def suggest(db: Session, text: str, limit: int = SUGGESTED) -> list[Contact]:
    """Returns up to ``limit`` live contacts holding every word of ``text`` in their number,
    names, company, email or phone (case-insensitive), by number; none for blank text."""
    stmt = suggestions(text, limit)
    return [] if stmt is None else list(db.scalars(stmt))


def suggestions(text: str, limit: int = SUGGESTED) -> Select | None:
    """Returns the statement ``suggest`` runs (None for blank text)."""
    found = search.contact_condition(text)
    if found is None:
        return None
    stmt = select(Contact).where(Contact.merged_into_id.is_(None), found)
    return stmt.order_by(Contact.number).limit(limit)


def named(db: Session, text: str) -> Contact:
    """Returns the one live contact ``text`` names: by its id or number (alone, or in
    brackets at the end, as ``label`` writes it), else its email, else its phone
    (normalised as the duplicate check does), else its whole name (case and blanks aside).
    Refuses text naming none or several (InvalidValue on ``contact``)."""
    text = " ".join(text.split())
    bracketed = LABELLED.search(text)
    number = (bracketed.group(1) if bracketed else text).strip().upper()
    live = Contact.merged_into_id.is_(None)
    for condition in (
        or_(Contact.id == text, Contact.number == number),
        Contact.email_key == identity.email_key(text) if "@" in text else None,
        Contact.phone_key == identity.phone_key(text) if re.search(r"\d{5}", text) else None,
    ):
        if condition is None:
            continue
        found = list(db.scalars(select(Contact).where(live, condition).limit(2)))
        if found:
            return _one(found, text)
    wanted = text.casefold()
    keys = {wanted, wanted.rsplit(" ", 1)[-1]}
    namesakes = db.scalars(
        select(Contact).where(live, Contact.name_key.in_(keys)).limit(NAMESAKES)
    )
    return _one([c for c in namesakes if c.display_name.casefold() == wanted], text)


def _one(found: list[Contact], text: str) -> Contact:
    """The only contact of ``found``; refuses none or several, saying what to type."""
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidValue(
            f"{{field}}: no contact is called “{text}”; type a name, email, phone or "
            "number and pick one of the suggestions, or leave it empty to create one",
            field="contact",
        )
    raise InvalidValue(
        f"{{field}}: several contacts are called “{text}”; type their email or number, "
        "or pick one of the suggestions",
        field="contact",
    )
