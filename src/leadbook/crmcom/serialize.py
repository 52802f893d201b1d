"""The CRM.COM ``lead_complete`` object and the nested shapes of the seed examples."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from operator import attrgetter
from typing import Any, overload

from leadbook import models as m
from leadbook.domain import periods

Json = dict[str, Any]
# response spelling of the source types (the seeds show RECOMMENDEDBYCONTACT etc.)
SOURCE_OUT = {
    "RECOMMENDED_BY_CONTACT": ("RECOMMENDEDBYCONTACT", "recommended_by_contact"),
    "RECOMMENDED_BY_EMPLOYEE": ("RECOMMENDEDBYEMPLOYEE", "recommended_by_employee"),
    "RECOMMENDED_BY_PARTNER": ("RECOMMENDEDBYPARTNER", "recommended_by_partner"),
}
# the top-level fields of lead_complete, in the order an answer writes them
FIELDS = (
    "id",
    "number",
    "life_cycle_state",
    "status",
    "type",
    "category",
    "lost_reason",
    "importance",
    "priority",
    "probability_to_win",
    "target_amount",
    "description",
    "contact_email",
    "contact_phone",
    "start_date",
    "expected_completion_date",
    "actual_completion_date",
    "estimated_completion_time",
    "time_to_completion",
    "time_overdue",
    "contact_information",
    "accounts_receivable",
    "lead_source",
    "assigned_to",
    "owned_by_group",
    "privacy_level",
    "lead_owner",
    "competitors_set",
    "users_set",
    "products_set",
    "services_set",
    "physical_goods_set",
    "subscription_package",
    "log_information",
    *m.lead.UDF_STRINGS,
    *m.lead.UDF_FLOATS,
    *m.lead.UDF_DATES,
)
NUMBERS = ("probability_to_win", "target_amount")
SET_NAMES = {
    "PRODUCT": "products_set",
    "SERVICE": "services_set",
    "PHYSICAL_GOOD": "physical_goods_set",
}


def when(value: datetime | date | None) -> str | None:
    """Returns a date as the API writes it: ``2015-02-13T09:52:09``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@overload
def pick(row: None, *names: str) -> None: ...
@overload
def pick(row: object, *names: str) -> Json: ...
def pick(row: object, *names: str) -> Json | None:
    """Returns the named attributes of ``row`` as an object, or None for no row."""
    return None if row is None else {name: getattr(row, name) for name in names}


def number(value: float | int | None) -> float | int | None:
    """Returns a stored number in the seeds' one form: a whole number without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def period(value) -> Json:
    """Returns ``(value, unit)`` as a time period object; None has null members."""
    if value is None or value[0] is None:
        return {"time_period_value": None, "time_period_uot": None}
    return {"time_period_value": number(value[0]), "time_period_uot": value[1]}


def user(row: m.User | None) -> Json | None:
    return pick(row, "id", "username", "person_name", "email")


def group(row: m.Group | None) -> Json | None:
    return pick(row, "id", "name", "alternative_code", "description", "community_name")


def unit(row: m.Unit | None) -> Json | None:
    if row is None:
        return None
    data = pick(row, "id", "name", "alternative_code", "description", "community_name")
    data["group_name"] = row.group.name if row.group else None
    return data


def country(row: m.Country | None) -> Json | None:
    return pick(row, "id", "name", "alternative_code", "two_character_code", "three_character_code")


def contact(row: m.Contact | None) -> Json | None:
    """Returns the short contact information object."""
    if row is None:
        return None
    person = row.type == "PERSON"
    return {
        "id": row.id,
        "number": row.number,
        "type": row.type,
        "life_cycle_state": row.life_cycle_state,
        "name": row.display_name,
        "title": row.title,
        "first_name": row.first_name,
        "middle_name": row.middle_name,
        "last_name": row.last_name,
        "company_name": row.company_name,
        "demographics": {
            "gender": row.gender,
            "id_number": row.id_number,
            "passport_number": row.passport_number,
            "social_security_number": row.social_security_number,
            "id_issued_by_country": country(row.id_issued_by_country),
            "passport_issued_by_country": country(row.passport_issued_by_country),
            "country_of_residence": country(row.country_of_residence),
            "industry": row.industry,
            "industry_sector": row.industry_sector,
            "date_of_birth": {
                "day": row.birth_day,
                "month": row.birth_month,
                "year": row.birth_year,
            },
            "name_day": {"day": row.name_day_day, "month": row.name_day_month},
        }
        if person
        else None,
        "company_profile": None
        if person
        else {
            "registration_number": row.registration_number,
            "vat_registration_number": row.vat_registration_number,
            "vat_registration_date": when(row.vat_registration_date),
            "tax_reference_number": row.tax_reference_number,
            "annual_turnover": number(row.annual_turnover),
            "number_of_employees": row.number_of_employees,
            "profile_year": None,  # not kept by Leadbook (docs/crmcom-api.md)
            "vat_registered_by": None,
            "established_date": when(row.established_date),
            "industry": row.industry,
            "industry_sector": row.industry_sector,
            "registered_in_country": country(row.registered_in_country),
        },
    }


def accounts_receivable(row: m.AccountsReceivable | None) -> Json | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "number": row.number,
        "name": row.name,
        "life_cycle_state": row.life_cycle_state,
        "account_owner": contact(row.owner),
    }


def status(row: m.LeadStatus) -> Json:
    return pick(row, "id", "name", "alternative_code", "description", "life_cycle_state")


def named(row, code: str = "alternative_code") -> Json | None:
    """Returns ``{id, name, <code>, description}`` of a reference row, or None."""
    return pick(row, "id", "name", code, "description")


def product_type(row: m.ProductType | None) -> Json | None:
    return pick(
        row,
        "id",
        "name",
        "alternative_code",
        "description",
        "classification",
        "service_type",
        "physical_good_type",
        "used_for_provisioning",
        "composition_method",
        "meter_reading_type",
        "udr_type",
    )


def product(row: m.Product | None) -> Json | None:
    if row is None:
        return None
    data = pick(row, "id", "code", "alternative_code", "description", "priority_level")
    data["product_type"] = product_type(row.product_type)
    return data


def _product_item(row: m.LeadProduct) -> Json:
    item = {
        "id": row.id,
        "product": product(row.product),
        "product_type": product_type(row.product_type),
    }
    if row.kind == "PRODUCT":
        item["product_brand"] = named(row.product_brand)
        item["product_family"] = named(row.product_family, "code")
    return item


def lead_source(lead: m.Lead) -> Json:
    kind = lead.source_type
    if kind in SOURCE_OUT:
        label, key = SOURCE_OUT[kind]
        ref = (
            user(lead.source_user)
            if kind == "RECOMMENDED_BY_EMPLOYEE"
            else contact(lead.source_contact)
        )
        return {"type": label, key: ref}
    if kind == "COMMUNICATIONS":
        c = lead.source_communication
        return {
            "type": kind,
            "communication": c
            and {
                "id": c.id,
                "number": c.number,
                "life_cycle_state": c.life_cycle_state,
                "contact_information": contact(c.contact),
                "subject": c.subject,
                "viewed": c.viewed,
                "viewed_on": when(c.viewed_on),
            },
        }
    if kind == "NOTIFICATIONS":
        n = lead.source_notification
        return {
            "type": kind,
            "notification": n
            and {
                "id": n.id,
                "number": n.number,
                "life_cycle_state": n.life_cycle_state,
                "contact_information": contact(n.contact),
                "accounts_receivable": accounts_receivable(n.accounts_receivable),
            },
        }
    return {"type": kind, "name": lead.source_name}


def lead(row: m.Lead, now: datetime) -> Json:
    """Returns the complete lead object of the seed examples."""
    expected = row.expected_completion_date
    sets: dict[str, list] = {name: [] for name in SET_NAMES.values()}
    for item in row.products:
        sets[SET_NAMES[item.kind]].append(_product_item(item))
    package = row.subscription_package
    data = {
        "id": row.id,
        "number": str(row.number),
        "life_cycle_state": row.life_cycle_state,
        "status": status(row.status),
        "type": named(row.type),
        "category": named(row.category, "code"),
        "lost_reason": named(row.lost_reason),
        "importance": row.importance,
        "priority": row.priority,
        "probability_to_win": number(row.probability_to_win),
        "target_amount": number(row.target_amount),
        "description": row.description,
        "contact_email": row.contact_email,
        "contact_phone": row.contact_phone,
        "start_date": when(row.start_date),
        "expected_completion_date": when(expected),
        "actual_completion_date": when(row.actual_completion_date),
        "estimated_completion_time": period(
            (row.estimated_time_value, row.estimated_time_uot) if row.estimated_time_uot else None
        ),
        "time_to_completion": period(
            periods.time_to_completion(row.life_cycle_state, expected, now)
        ),
        "time_overdue": period(periods.time_overdue(row.life_cycle_state, expected, now)),
        "contact_information": contact(row.contact),
        "accounts_receivable": accounts_receivable(row.accounts_receivable),
        "lead_source": lead_source(row),
        "assigned_to": {"unit": unit(row.assigned_unit), "user": user(row.assigned_user)},
        "owned_by_group": group(row.owned_by_group),
        "privacy_level": row.privacy_level
        and {
            "id": row.privacy_level.id,
            "number": row.privacy_level.number,
            "name": row.privacy_level.name,
            "description": row.privacy_level.description,
        },
        "lead_owner": user(row.lead_owner),
        "competitors_set": [
            {
                "id": c.id,
                "competitor": {
                    "id": c.competitor.id,
                    "name": c.competitor.name,
                    "website": c.competitor.website,
                    "description": c.competitor.description,
                },
            }
            for c in row.competitors
        ],
        "users_set": [{"id": u.id, "user": user(u.user)} for u in row.users],
        **sets,
        "subscription_package": package
        and {
            "subscription_package": {
                "id": package.id,
                "name": package.name,
                "alternative_code": package.alternative_code,
                "description": package.description,
                "classification": package.classification,
            }
        },
        "log_information": {
            "created_date": when(row.created_date),
            "updated_date": when(row.updated_date),
            "created_by_user": user(row.created_by_user),
            "updated_by_user": user(row.updated_by_user),
            "created_by_unit": unit(row.created_by_unit),
            "updated_by_unit": unit(row.updated_by_unit),
        },
    }
    for key in m.lead.UDF_STRINGS:
        data[key] = getattr(row, key)
    for key in m.lead.UDF_FLOATS:
        data[key] = number(getattr(row, key))
    for key in m.lead.UDF_DATES:
        data[key] = when(getattr(row, key))
    return data


# the fields of ``lead`` its own row holds, written as ``lead`` writes them: a write asked
# for only these is answered from the row it wrote (``from_row``), with no read
_PLAIN = ("id", "life_cycle_state", "importance", "priority", "description", "contact_email")
_DATES = ("start_date", "expected_completion_date", "actual_completion_date")


def _as(form: Callable[[Any], Any], key: str) -> Callable[[m.Lead], Any]:
    return lambda row: form(getattr(row, key))


ROW_FIELDS: dict[str, Callable[[m.Lead], Any]] = {
    "number": _as(str, "number"),
    **{key: attrgetter(key) for key in (*_PLAIN, "contact_phone")},
    **{key: _as(number, key) for key in NUMBERS},
    **{key: _as(when, key) for key in _DATES},
}


def from_row(row: m.Lead, fields: list[str] | None) -> Json | None:
    """Returns the answer of ``fields`` from ``row`` alone, or None when one of them is
    not the row's own (or all were asked for)."""
    if not fields or not all(key in ROW_FIELDS for key in fields):
        return None
    return {key: ROW_FIELDS[key](row) for key in fields}


def project(data: Json, fields: list[str] | None) -> Json:
    """Keeps the top-level keys named in ``fields_set`` (all when None)."""
    if not fields:
        return data
    return {key: data[key] for key in fields}
