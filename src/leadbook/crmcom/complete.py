"""The CRM.COM ``lead_complete`` object described for the one-statement read path
(``leadbook.readmodel``); ``serialize`` writes the same object from ORM rows and stays the
reference the tests compare this with."""

from __future__ import annotations

from datetime import datetime

from leadbook import models as m
from leadbook.crmcom import serialize
from leadbook.domain import periods
from leadbook.readmodel.shape import (
    Choose,
    Const,
    Flag,
    Later,
    Many,
    Number,
    Obj,
    Ref,
    Text,
    Value,
    When,
)

USER = Obj.of("id", "username", "person_name", "email")
GROUP = Obj.of("id", "name", "alternative_code", "description", "community_name")
UNIT = Obj.of(
    "id",
    "name",
    "alternative_code",
    "description",
    "community_name",
    group_name=Ref("group", Value("name")),
)
COUNTRY = Obj.of("id", "name", "alternative_code", "two_character_code", "three_character_code")


def _named(code: str = "alternative_code") -> Obj:
    return Obj.of("id", "name", code, "description")


PERSON = Obj.of(
    "gender",
    "id_number",
    "passport_number",
    "social_security_number",
    id_issued_by_country=Ref("id_issued_by_country", COUNTRY),
    passport_issued_by_country=Ref("passport_issued_by_country", COUNTRY),
    country_of_residence=Ref("country_of_residence", COUNTRY),
    industry=Value("industry"),
    industry_sector=Value("industry_sector"),
    date_of_birth=Obj(
        {"day": Value("birth_day"), "month": Value("birth_month"), "year": Value("birth_year")}
    ),
    name_day=Obj({"day": Value("name_day_day"), "month": Value("name_day_month")}),
)
COMPANY = Obj.of(
    "registration_number",
    "vat_registration_number",
    vat_registration_date=When("vat_registration_date"),
    tax_reference_number=Value("tax_reference_number"),
    annual_turnover=Number("annual_turnover"),
    number_of_employees=Value("number_of_employees"),
    profile_year=Const(None),  # not kept by Leadbook (docs/crmcom-api.md)
    vat_registered_by=Const(None),
    established_date=When("established_date"),
    industry=Value("industry"),
    industry_sector=Value("industry_sector"),
    registered_in_country=Ref("registered_in_country", COUNTRY),
)
CONTACT = Obj.of(
    "id",
    "number",
    "type",
    "life_cycle_state",
    name=Value("display_name"),
    title=Value("title"),
    first_name=Value("first_name"),
    middle_name=Value("middle_name"),
    last_name=Value("last_name"),
    company_name=Value("company_name"),
    demographics=Choose("type", {"PERSON": PERSON}, Const(None)),
    company_profile=Choose("type", {"PERSON": Const(None)}, COMPANY),
)
ACCOUNT = Obj.of("id", "number", "name", "life_cycle_state", account_owner=Ref("owner", CONTACT))
PRODUCT_TYPE = Obj.of(
    "id",
    "name",
    "alternative_code",
    "description",
    "classification",
    "service_type",
    "physical_good_type",
    used_for_provisioning=Flag("used_for_provisioning"),
    composition_method=Value("composition_method"),
    meter_reading_type=Value("meter_reading_type"),
    udr_type=Value("udr_type"),
)
PRODUCT = Obj.of(
    "id",
    "code",
    "alternative_code",
    "description",
    "priority_level",
    product_type=Ref("product_type", PRODUCT_TYPE),
)
_ITEM = {"id": Value("id"), "product": Ref("product", PRODUCT)}
_ITEM["product_type"] = Ref("product_type", PRODUCT_TYPE)
PRODUCT_ITEM = Obj(
    {
        **_ITEM,
        "product_brand": Ref("product_brand", _named()),
        "product_family": Ref("product_family", _named("code")),
    }
)
SETS = {
    name: Many("products", PRODUCT_ITEM if kind == "PRODUCT" else Obj(_ITEM), ("kind", kind))
    for kind, name in serialize.SET_NAMES.items()
}


def _source() -> Choose:
    """lead_source: its shape follows the source type."""
    cases = {}
    for kind, (label, key) in serialize.SOURCE_OUT.items():
        if kind == "RECOMMENDED_BY_EMPLOYEE":
            ref = Ref("source_user", USER)
        else:
            ref = Ref("source_contact", CONTACT)
        cases[kind] = Obj({"type": Const(label), key: ref})
    communication = Obj.of(
        "id",
        "number",
        "life_cycle_state",
        contact_information=Ref("contact", CONTACT),
        subject=Value("subject"),
        viewed=Flag("viewed"),
        viewed_on=When("viewed_on"),
    )
    notification = Obj.of(
        "id",
        "number",
        "life_cycle_state",
        contact_information=Ref("contact", CONTACT),
        accounts_receivable=Ref("accounts_receivable", ACCOUNT),
    )
    cases["COMMUNICATIONS"] = Obj(
        {"type": Value("source_type"), "communication": Ref("source_communication", communication)}
    )
    cases["NOTIFICATIONS"] = Obj(
        {"type": Value("source_type"), "notification": Ref("source_notification", notification)}
    )
    return Choose(
        "source_type", cases, Obj.of(type=Value("source_type"), name=Value("source_name"))
    )


_NO_PERIOD = Obj({"time_period_value": Const(None), "time_period_uot": Const(None)})
_STATE_AND_DUE = (Value("life_cycle_state"), When("expected_completion_date"))


def _due(rule):
    """A period of ``periods`` between the expected completion and the request's time."""

    def compute(now: datetime, state: str, expected: str | None):
        day = None if expected is None else datetime.fromisoformat(expected)
        return serialize.period(rule(state, day, now))

    return Later(compute, _STATE_AND_DUE)


LEAD = Obj(
    {
        "id": Value("id"),
        "number": Text("number"),
        "life_cycle_state": Value("life_cycle_state"),
        "status": Ref(
            "status", Obj.of("id", "name", "alternative_code", "description", "life_cycle_state")
        ),
        "type": Ref("type", _named()),
        "category": Ref("category", _named("code")),
        "lost_reason": Ref("lost_reason", _named()),
        "importance": Value("importance"),
        "priority": Value("priority"),
        "probability_to_win": Number("probability_to_win"),
        "target_amount": Number("target_amount"),
        "description": Value("description"),
        "contact_email": Value("contact_email"),
        "contact_phone": Value("contact_phone"),
        "start_date": When("start_date"),
        "expected_completion_date": When("expected_completion_date"),
        "actual_completion_date": When("actual_completion_date"),
        "estimated_completion_time": Choose(
            "estimated_time_uot",
            {None: _NO_PERIOD},
            Choose(
                "estimated_time_value",
                {None: _NO_PERIOD},
                Obj(
                    {
                        "time_period_value": Number("estimated_time_value"),
                        "time_period_uot": Value("estimated_time_uot"),
                    }
                ),
            ),
        ),
        "time_to_completion": _due(periods.time_to_completion),
        "time_overdue": _due(periods.time_overdue),
        "contact_information": Ref("contact", CONTACT),
        "accounts_receivable": Ref("accounts_receivable", ACCOUNT),
        "lead_source": _source(),
        "assigned_to": Obj(
            {"unit": Ref("assigned_unit", UNIT), "user": Ref("assigned_user", USER)}
        ),
        "owned_by_group": Ref("owned_by_group", GROUP),
        "privacy_level": Ref("privacy_level", Obj.of("id", "number", "name", "description")),
        "lead_owner": Ref("lead_owner", USER),
        "competitors_set": Many(
            "competitors",
            Obj.of(
                "id", competitor=Ref("competitor", Obj.of("id", "name", "website", "description"))
            ),
        ),
        "users_set": Many("users", Obj.of("id", user=Ref("user", USER))),
        **SETS,
        "subscription_package": Ref(
            "subscription_package",
            Obj.of(
                subscription_package=Obj.of(
                    "id", "name", "alternative_code", "description", "classification"
                )
            ),
        ),
        "log_information": Obj(
            {
                "created_date": When("created_date"),
                "updated_date": When("updated_date"),
                "created_by_user": Ref("created_by_user", USER),
                "updated_by_user": Ref("updated_by_user", USER),
                "created_by_unit": Ref("created_by_unit", UNIT),
                "updated_by_unit": Ref("updated_by_unit", UNIT),
            }
        ),
        **{key: Value(key) for key in m.lead.UDF_STRINGS},
        **{key: Number(key) for key in m.lead.UDF_FLOATS},
        **{key: When(key) for key in m.lead.UDF_DATES},
    }
)
assert tuple(LEAD.fields) == serialize.FIELDS
