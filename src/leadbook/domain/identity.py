"""What identifies a person, normalised: the keys duplicates are looked up by.

A contact keeps its email and phone as given; beside them it stores ``email_key`` (the
address case-folded, its +tag dropped when LEADBOOK_EMAIL_PLUS_TAGS is ``strip``),
``phone_key`` (E.164 through ``phonenumbers``, LEADBOOK_PHONE_REGION for numbers written
without a country code; the digits alone when it cannot be read as a number) and
``name_key`` (the case-folded last name of a person, name of a company). The keys are
set on every insert and update of a contact, whoever writes it.
"""

from __future__ import annotations

import re

import phonenumbers
from sqlalchemy import event

from leadbook.config import get_settings
from leadbook.models import Contact


def email_key(text: str | None) -> str | None:
    """Returns the address as duplicates are compared: case-folded, tag dropped if set so."""
    address = (text or "").strip().casefold()
    if not address:
        return None
    local, at, host = address.rpartition("@")
    if at and get_settings().email_plus_tags == "strip" and "+" in local:
        address = f"{local.split('+', 1)[0]}@{host}"
    return address


def phone_key(text: str | None) -> str | None:
    """Returns the number in E.164 (``+35799765432``), else its digits (``+`` kept)."""
    raw = (text or "").strip()
    if not raw:
        return None
    region = get_settings().phone_region.upper() or None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", raw)
    return ("+" if raw.startswith("+") else "") + digits if digits else None


def name_key(kind: str | None, last_name: str | None, company_name: str | None) -> str | None:
    """Returns the name near duplicates are looked for under (see duplicates.py)."""
    name = company_name if kind == "COMPANY" else last_name
    return " ".join((name or "").casefold().split()) or None


def keys_of(values: dict) -> dict[str, str | None]:
    """Returns the normalised keys of a contact given as ``values`` (column → value)."""
    return {
        "email_key": email_key(values.get("email")),
        "phone_key": phone_key(values.get("phone")),
        "name_key": name_key(
            values.get("type"), values.get("last_name"), values.get("company_name")
        ),
    }


@event.listens_for(Contact, "before_insert")
@event.listens_for(Contact, "before_update")
def _stamp(mapper, connection, contact: Contact) -> None:
    """Keeps a contact's keys in step with its email, phone and name."""
    names = ("type", "email", "phone", "last_name", "company_name")
    for key, value in keys_of({name: getattr(contact, name) for name in names}).items():
        setattr(contact, key, value)
