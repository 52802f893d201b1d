"""Each CRM.COM method's parameters, defined once: name, the seed's type and class, what it
means and the JSON Schema of its value. The routes take their accepted keys from here and
the OpenAPI document (``document.py``) its request shapes, so neither can drift."""

from __future__ import annotations

from dataclasses import dataclass

from leadbook.crmcom import leadinput, shapes
from leadbook.crmcom.shapes import Schema

MANDATORY = "mandatory"
OPTIONAL = "optional"
SEMI = "semi-optional"
ON_CONDITIONS = "mandatory on conditions"


@dataclass(frozen=True)
class Param:
    """One parameter of a method."""

    name: str
    type: str  # as the seeds write it: String, Number, Integer, Date, Identifier, …
    rule: str  # MANDATORY, OPTIONAL, SEMI or ON_CONDITIONS
    doc: str
    schema: Schema

    @property
    def required(self) -> bool:
        return self.rule == MANDATORY


def _text(name: str, doc: str, rule: str = OPTIONAL) -> Param:
    return Param(
        name, "String", rule, doc, {"type": "string"} if rule == MANDATORY else shapes.STRING
    )


def _ident(name: str, kind: str, doc: str, rule: str = OPTIONAL) -> Param:
    schema = shapes.identifier(kind)
    return Param(
        name, "Identifier", rule, doc, schema if rule == MANDATORY else shapes.nullable(schema)
    )


TOKEN = _text("token", "The token from authentication/token (or the Authorization header)")
FIELDS_SET = Param(
    "fields_set",
    "List of Strings, comma separated",
    OPTIONAL,
    "The lead fields to return (all when not given); an unknown name is refused",
    shapes.FIELDS_SET,
)
LEAD = _ident("lead_identifier", "lead", "The lead", MANDATORY)
STATUS = _ident(
    "status_identifier", "lead_status", "The status to move to (else the lead type's default)"
)
_REFERENCE_DOCS = {
    "type_identifier": "The lead type",
    "status_identifier": "The status (else the lead type's default status on create)",
    "category_identifier": "The category (else the lead type's default category)",
    "lost_reason_identifier": "Deprecated R11.1: use leads/lost",
    "owned_by_group_identifier": "The group owning the lead",
    "privacy_level_identifier": "Deprecated R18",
    "accounts_receivable_identifier": "The accounts receivable, owned by the lead's contact",
}
_DOCS = {
    "contact_email": "Mandatory if the lead type sends an email on creation",
    "contact_phone": "Mandatory if the lead type sends an SMS on creation",
    "description": "What the lead is about",
    "importance": "IMPORTANCE1 … IMPORTANCE5, CUSTOM1 … CUSTOM3",
    "probability_to_win": "0 to 100",
    "target_amount": "The amount hoped for (0 or more)",
    "start_date": "When the lead started (default: now)",
    "expected_completion_date": "Give this or estimated_completion_time (the other is computed)",
}
_PRODUCTS = {
    key: shapes.identifier(kind) for key, (_, kind) in leadinput.PRODUCT_IDENTIFIERS.items()
}


def _set(name: str) -> Param:
    if name == "competitors_set":
        items = {"competitor_identifier": shapes.identifier("competitor")}
        items["lead_competitor_identifier"] = {"type": "object"}
    elif name == "users_set":
        items = {
            "user_identifier": shapes.identifier("user"),
            "lead_user_identifier": {"type": "object"},
        }
    else:
        items = {**_PRODUCTS, leadinput.ROW_IDENTIFIER[name]: {"type": "object"}}
    return Param(
        name, "Set", OPTIONAL, "Items to ADD (and, on update, REMOVE)", shapes.set_of(items)
    )


def _lead_fields(creating: bool) -> list[Param]:
    """create's and update's lead fields (their names are leadinput's)."""
    needed = {"importance", "type_identifier"} if creating else set()  # as priority, source
    out = [
        _text(key, _DOCS.get(key, ""), MANDATORY if key in needed else OPTIONAL)
        for key in leadinput.TEXTS
    ]
    out += [
        Param(k, "Number", OPTIONAL, _DOCS.get(k, ""), shapes.NUMBER) for k in leadinput.NUMBERS
    ]
    out += [Param(k, "Date", OPTIONAL, _DOCS.get(k, ""), shapes.DATE) for k in leadinput.DATES]
    out += [
        _ident(param, kind, _REFERENCE_DOCS[param], MANDATORY if param in needed else OPTIONAL)
        for param, (_, kind) in leadinput.REFERENCES.items()
    ]
    out += [_set(name) for name in leadinput.SETS]
    sources = {param: kind for param, (_, kind) in leadinput.SOURCE_REFERENCES.items()}
    out += [
        Param("priority", "Integer", MANDATORY if creating else OPTIONAL, "1 to 6", shapes.INTEGER),
        Param(
            "estimated_completion_time",
            "Time period",
            SEMI if creating else OPTIONAL,
            "Give this or expected_completion_date (the other is computed)",
            shapes.nullable(shapes.TIME_PERIOD),
        ),
        Param(
            "source",
            "Lead source",
            MANDATORY if creating else OPTIONAL,
            "Where the lead came from",
            shapes.source(sources),
        ),
        Param("assigned_to", "Object", OPTIONAL, "The unit and user", shapes.assigned_to()),
        Param("lead_owner", "User identifier", OPTIONAL, "R15", shapes.user()),
        Param(
            "subscription_package_identifier",
            "Identifier",
            OPTIONAL,
            "R14, deprecated R18",
            shapes.package(),
        ),
        Param("subscription_package", "Object", OPTIONAL, "R14, deprecated R18", shapes.package()),
        Param(
            "subscription_packages",
            "List",
            OPTIONAL,
            "One package (R14, deprecated R18)",
            shapes.nullable({"type": "array", "items": shapes.package(), "maxItems": 1}),
        ),
    ]
    if creating:
        contact = Param(
            "contact_information",
            "Object",
            MANDATORY,
            "An EXISTING or a NEW contact",
            shapes.contact_information(),
        )
        return [TOKEN, contact, *out, FIELDS_SET]
    address = Param(
        "billing_address_identifier",
        "Identifier",
        OPTIONAL,
        "Deprecated R11.1 (accepted, not kept)",
        {"type": ["object", "null"]},
    )
    return [TOKEN, LEAD, *out, address, FIELDS_SET]


_WANTED_FOR_LIST = "Leads of this"
_FILTERS = [
    Param("contact_information_identifier", "Identifier", SEMI, f"{_WANTED_FOR_LIST} contact", {}),
    Param(
        "accounts_receivable_identifier",
        "Identifier",
        OPTIONAL,
        f"{_WANTED_FOR_LIST} accounts receivable",
        {},
    ),
    Param("type_identifier", "Identifier", SEMI, f"{_WANTED_FOR_LIST} type", {}),
    Param("category_identifier", "Identifier", SEMI, f"{_WANTED_FOR_LIST} category", {}),
    Param("source_identifier", "Identifier", SEMI, "By source type or name", {}),
    Param("importance", "String", SEMI, "IMPORTANCE1 … CUSTOM3", {}),
    Param("priority", "Integer", SEMI, "1 to 6", {}),
    Param("number_of_results", "Integer", OPTIONAL, "1 to 1000 (R13)", {}),
    Param("offset", "Integer", OPTIONAL, "0 or more (R13)", {}),
]
_LIST = [TOKEN, *_FILTERS, FIELDS_SET]
_CLOSE = [
    *_LIST,
    Param("period", "Number", MANDATORY, "How far ahead to look", {}),
    Param("uot", "String", MANDATORY, "MINUTES, HOURS, DAYS, WEEKS, MONTHS or YEARS", {}),
]
_ACCOUNT = Param(
    "accounts_receivable",
    "Object",
    ON_CONDITIONS,
    "The customer's EXISTING or NEW account",
    shapes.accounts_receivable(),
)
_UNIT = Param(
    "unit",
    "String",
    OPTIONAL,
    "A unit id, or a unit identifier",
    shapes.nullable({"anyOf": [{"type": "string"}, shapes.identifier("unit")]}),
)
METHODS: dict[str, list[Param]] = {
    "authentication/token": [
        _text("username", "The user's name", MANDATORY),
        _text("password", "The user's password", MANDATORY),
        _text("organisation", "The organisation (LEADBOOK)", MANDATORY),
        _UNIT,
    ],
    "authentication/web_api_key/token": [_UNIT],
    "authentication/token/release": [_text("token", "The token to release", MANDATORY)],
    "leads/show": [TOKEN, LEAD, FIELDS_SET],
    "leads/list": _LIST,
    "leads/get_overdue": _LIST,
    "leads/get_close_to_estimated_completion_time": _CLOSE,
    **{
        f"leads/{name}": _LIST
        for name in (
            "get_pending",
            "get_in_progress",
            "get_won_leads",
            "get_lost_leads",
            "get_cancelled",
        )
    },
    "leads/create": _lead_fields(creating=True),
    "leads/update": _lead_fields(creating=False),
    "leads/start_progress": [TOKEN, LEAD, STATUS, FIELDS_SET],
    "leads/cancel": [TOKEN, LEAD, STATUS, FIELDS_SET],
    "leads/win": [TOKEN, LEAD, STATUS, _ACCOUNT, FIELDS_SET],
    "leads/lost": [
        TOKEN,
        LEAD,
        STATUS,
        _ident("lost_reason_identifier", "lost_reason", "Why the lead was lost", MANDATORY),
        FIELDS_SET,
    ],
}
GETS = {name for name in METHODS if name.startswith("leads/") and "/get_" in name} | {
    "leads/show",
    "leads/list",
}


def keys(method: str) -> set[str]:
    """Returns the names of the parameters ``method`` takes."""
    return {param.name for param in METHODS[method]}
