"""CRM.COM ``contact_information`` → the lead's contact: an EXISTING one by identifier, or
a NEW one created from the fields given."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.crmcom import wire
from leadbook.domain import identifiers
from leadbook.domain.contacts import NewContact
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing

CONTACT_TEXTS = ("title", "first_name", "middle_name", "last_name", "company_name")
DEMOGRAPHIC_TEXTS = (
    "gender",
    "id_number",
    "passport_number",
    "social_security_number",
    "industry",
    "industry_sector",
)
DEMOGRAPHIC_COUNTRIES = {
    "country_of_residence_identifier": "country_of_residence",
    "id_issued_by_country_identifier": "id_issued_by_country",
    "passport_issued_by_country_identifier": "passport_issued_by_country",
}
PROFILE_TEXTS = (
    "registration_number",
    "vat_registration_number",
    "tax_reference_number",
    "industry",
    "industry_sector",
)


def contact(db: Session, value: Any) -> m.Contact | NewContact:
    """An EXISTING contact by identifier, or a NEW one (created by the domain with the lead)."""
    if not isinstance(value, dict):
        raise InvalidValue("contact_information must be an object")
    action = str(wire.require(value, "action") if "action" in value else "").upper()
    if action == "EXISTING":
        wire.check_keys(value, {"action", "contact_information_identifier"}, "contact_information")
        ident = value.get("contact_information_identifier")
        if ident is None:
            raise MandatoryParameterMissing(
                "contact_information.contact_information_identifier is mandatory for EXISTING"
            )
        return identifiers.resolve(
            db, "contact", ident, param="contact_information.contact_information_identifier"
        )
    if action != "NEW":
        raise InvalidValue("contact_information.action must be NEW or EXISTING")
    allowed = {
        "action",
        "type",
        *CONTACT_TEXTS,
        "email",
        "phone",
        "demographics",
        "company_profile",
    }
    wire.check_keys(value, allowed, "contact_information")
    values: dict[str, Any] = {}
    for key in (*CONTACT_TEXTS, "email", "phone"):
        if key in value:
            values[key] = wire.text(value[key], f"contact_information.{key}")
    countries: dict[str, m.Country] = {}
    demographics = value.get("demographics") or {}
    if not isinstance(demographics, dict):
        raise InvalidValue("contact_information.demographics must be an object")
    wire.check_keys(
        demographics,
        {*DEMOGRAPHIC_TEXTS, *DEMOGRAPHIC_COUNTRIES, "date_of_birth", "name_day"},
        "contact_information.demographics",
    )
    for key in DEMOGRAPHIC_TEXTS:
        if key in demographics:
            values[key] = wire.text(demographics[key], f"demographics.{key}")
    for param, attr in DEMOGRAPHIC_COUNTRIES.items():
        if demographics.get(param) is not None:
            countries[attr] = identifiers.resolve(db, "country", demographics[param], param=param)
    for part, prefix, keys in (
        ("date_of_birth", "birth_", ("day", "month", "year")),
        ("name_day", "name_day_", ("day", "month")),
    ):
        given = demographics.get(part) or {}
        if not isinstance(given, dict):
            raise InvalidValue(f"demographics.{part} must be an object")
        wire.check_keys(given, set(keys), f"demographics.{part}")
        for key in keys:
            if given.get(key) is not None:
                values[prefix + key] = wire.whole(given[key], f"demographics.{part}.{key}")
    profile = value.get("company_profile") or {}
    if not isinstance(profile, dict):
        raise InvalidValue("contact_information.company_profile must be an object")
    wire.check_keys(
        profile, {*PROFILE_TEXTS, "annual_turnover", "number_of_employees"}, "company_profile"
    )
    for key in PROFILE_TEXTS:
        if key in profile:
            values[key] = wire.text(profile[key], f"company_profile.{key}")
    if "annual_turnover" in profile:
        values["annual_turnover"] = wire.number(profile["annual_turnover"], "annual_turnover")
    if "number_of_employees" in profile:
        values["number_of_employees"] = wire.whole(
            profile["number_of_employees"], "number_of_employees"
        )
    return NewContact(type=value.get("type"), values=values, countries=countries)
