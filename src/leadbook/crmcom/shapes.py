"""JSON Schema of the CRM.COM wire shapes: scalars, identifiers, time periods, the nested
request objects, ``lead_complete`` and the envelope (the OpenAPI document's vocabulary)."""

from __future__ import annotations

from typing import Any

from leadbook.crmcom import contactinput, serialize
from leadbook.domain import identifiers, periods, vocabulary
from leadbook.models import LifeCycleState

Schema = dict[str, Any]
STRING: Schema = {"type": ["string", "null"]}
NUMBER: Schema = {"type": ["number", "null"]}
INTEGER: Schema = {"type": ["integer", "null"]}
DATE: Schema = {
    "type": ["string", "null"],
    "description": "A date like 2015-02-20T17:28:30 (a date alone means midnight)",
}
UNITS: Schema = {"enum": list(periods.UNITS)}
TIME_PERIOD: Schema = {
    "type": "object",
    "properties": {"time_period_value": {"type": "number"}, "time_period_uot": UNITS},
    "required": ["time_period_value", "time_period_uot"],
    "additionalProperties": False,
}
FIELDS_SET: Schema = {
    "description": "Comma separated names of lead_complete's top-level fields to return",
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"enum": list(serialize.FIELDS)}},
        {"type": "null"},
    ],
}


def word(*words: str) -> Schema:
    """One of ``words``, in any case (the seeds write ``"action": "add"`` and ``"ADD"``)."""
    either = "|".join("".join(f"[{c.upper()}{c.lower()}]" for c in w) for w in words)
    return {"type": "string", "pattern": f"^({either})$", "examples": list(words)}


def nullable(schema: Schema) -> Schema:
    """Returns ``schema`` or null (a null parameter counts as absent, or clears a field)."""
    return {"anyOf": [schema, {"type": "null"}]}


def identifier(kind: str) -> Schema:
    """An identifier object: exactly one of the fields ``kind`` is named by."""
    known = identifiers.KINDS[kind]
    return {
        "type": "object",
        "description": f"Names a {known.label} by one of: {', '.join(known.fields)}",
        "properties": {field: {"type": "string"} for field in known.fields},
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    }


def obj(properties: dict[str, Schema], *required: str) -> Schema:
    """An object of ``properties`` and no others, ``required`` among them."""
    shape: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        shape["required"] = list(required)
    return shape


def user() -> Schema:
    """A user identifier, bare or wrapped as ``{"user_identifier": …}``."""
    return nullable({"anyOf": [identifier("user"), obj({"user_identifier": identifier("user")})]})


def contact_information() -> Schema:
    """create's contact: an EXISTING one by identifier, or a NEW one from its fields."""
    texts = {key: STRING for key in contactinput.CONTACT_TEXTS}
    demographics = obj(
        {
            **{key: STRING for key in contactinput.DEMOGRAPHIC_TEXTS},
            **{key: nullable(identifier("country")) for key in contactinput.DEMOGRAPHIC_COUNTRIES},
            "date_of_birth": obj({k: INTEGER for k in ("day", "month", "year")}),
            "name_day": obj({k: INTEGER for k in ("day", "month")}),
        }
    )
    profile = obj(
        {
            **{key: STRING for key in contactinput.PROFILE_TEXTS},
            "annual_turnover": NUMBER,
            "number_of_employees": INTEGER,
        }
    )
    existing = obj(
        {"action": word("EXISTING"), "contact_information_identifier": identifier("contact")},
        "action",
        "contact_information_identifier",
    )
    new = obj(
        {
            "action": word("NEW"),
            "type": {"enum": ["PERSON", "COMPANY"]},
            **texts,
            "email": STRING,
            "phone": STRING,
            "demographics": nullable(demographics),
            "company_profile": nullable(profile),
        },
        "action",
    )
    return {"anyOf": [existing, new]}


def source(references: dict[str, str]) -> Schema:
    """create's and update's ``source``: its type, a name and what it came from."""
    return obj(
        {
            "type": {"enum": list(vocabulary.SOURCE_TYPES)},
            "name": STRING,
            **{param: nullable(identifier(kind)) for param, kind in references.items()},
        },
        "type",
    )


def assigned_to() -> Schema:
    return nullable(
        obj(
            {
                "user_identifier": nullable(identifier("user")),
                "unit_identifier": nullable(identifier("unit")),
            }
        )
    )


def set_of(identifiers_: dict[str, Schema]) -> Schema:
    """A set parameter: items to ADD or REMOVE, each naming its target."""
    return nullable(
        {
            "type": "array",
            "items": obj({"action": word("ADD", "REMOVE"), **identifiers_}),
        }
    )


def package() -> Schema:
    """A subscription package: its identifier, or ``{"subscription_package_identifier": …}``."""
    wrapped = obj(
        {"subscription_package_identifier": identifier("subscription_package"), "action": STRING}
    )
    return nullable({"anyOf": [identifier("subscription_package"), wrapped]})


def accounts_receivable() -> Schema:
    """win's ``accounts_receivable``: an EXISTING one by identifier, or a NEW one."""
    existing = obj(
        {
            "action": word("EXISTING"),
            "accounts_receivable_identifier": identifier("accounts_receivable"),
        },
        "action",
        "accounts_receivable_identifier",
    )
    new = obj(
        {
            "action": word("NEW"),
            "name": STRING,
            "description": STRING,
            "classification_identifier": {"type": ["object", "null"]},
        },
        "action",
    )
    return nullable({"anyOf": [existing, new]})


def _field(name: str) -> Schema:
    if name.endswith("_set"):
        return {"type": "array", "items": {"type": "object"}}
    if name in _LEAD_SCALARS:
        return _LEAD_SCALARS[name]
    if name.startswith("udf_float"):
        return NUMBER
    if name.startswith(("udf_string", "udf_date")):
        return STRING
    return {"type": ["object", "null"]}


_PERIOD_OUT: Schema = {
    "type": "object",
    "properties": {"time_period_value": NUMBER, "time_period_uot": STRING},
}
_LEAD_SCALARS: dict[str, Schema] = {
    "id": {"type": "string"},
    "number": {"type": "string"},
    "life_cycle_state": {"enum": [state.value for state in LifeCycleState]},
    "importance": STRING,
    "priority": INTEGER,
    "probability_to_win": NUMBER,
    "target_amount": NUMBER,
    "description": STRING,
    "contact_email": STRING,
    "contact_phone": STRING,
    "start_date": STRING,
    "expected_completion_date": STRING,
    "actual_completion_date": STRING,
    "estimated_completion_time": _PERIOD_OUT,
    "time_to_completion": _PERIOD_OUT,
    "time_overdue": _PERIOD_OUT,
}
LEAD_COMPLETE: Schema = {
    "type": "object",
    "description": "A lead as CRM.COM returns it (fields_set keeps some of these)",
    "properties": {name: _field(name) for name in serialize.FIELDS},
}
STATUS: Schema = obj(
    {"code": {"type": "string"}, "message": STRING, "description": STRING},
    "code",
    "message",
    "description",
)


def envelope(data: Schema) -> Schema:
    """The envelope every answer comes in, ``data`` as given (null on a refusal)."""
    return obj({"data": data, "status": STATUS}, "data", "status")
