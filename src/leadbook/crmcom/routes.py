"""The CRM.COM Web API v2 face: authentication and the 15 leads methods.

GET methods read the query string (``lead_identifier=number=19``), POST methods a JSON
body carrying ``token``. Every answer, refusals included, is the CRM.COM envelope.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session

from leadbook.auth import tokens
from leadbook.crmcom import envelope, leadinput, serialize, wire
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.deps import DbSession, RawBody
from leadbook.domain import clock, identifiers, leads, lifecycle, periods, queries, vocabulary
from leadbook.domain.actor import Actor
from leadbook.domain.contacts import open_account
from leadbook.domain.errors import (
    AuthenticationFailed,
    InvalidValue,
    MandatoryParameterMissing,
    NotFound,
)
from leadbook.domain.vocabulary import IMPORTANCES, canonical_source_type
from leadbook.faces import Face
from leadbook.models import Lead

PREFIX = "/crmapi/rest"
router = APIRouter(prefix=PREFIX + "/{version}", tags=["CRM.COM API v2"])
face = Face(router=router, prefix=PREFIX, render_error=envelope.render_error)

Version = Annotated[str, Path(description="API version: v2 (the seeds' `$version` too)")]
Token = Annotated[str | None, Query(description="The token from authentication/token")]
Ident = Annotated[str | None, Query(description="An identifier written field=value")]
Fields = Annotated[str | None, Query(description="Comma separated lead fields to return")]
Count = Annotated[str | None, Query(description="How many leads to return (R13)")]
Offset = Annotated[str | None, Query(description="How many leads to skip (R13)")]
Text = Annotated[str | None, Query()]
FILTERS = (
    "contact_information_identifier",
    "accounts_receivable_identifier",
    "type_identifier",
    "category_identifier",
    "source_identifier",
    "importance",
    "priority",
)
LIST_KEYS = {"token", "fields_set", "number_of_results", "offset", *FILTERS}
GET_STATES = {
    "get_pending": ("PENDING",),
    "get_in_progress": ("IN_PROGRESS",),
    "get_won_leads": ("WON",),
    "get_lost_leads": ("LOST",),
    "get_cancelled": ("CANCELLED",),
}
BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "additionalProperties": True}}
        },
    }
}


def _version(version: str) -> None:
    if version not in ("v2", "$version"):
        raise NotFound(f"Unknown API version {version!r}; this server speaks v2")


def _actor(db: Session, request: Request, token: str | None) -> Actor:
    if not token:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
    actor = tokens.resolve(db, token)
    return Actor(user=actor.user, unit=actor.unit, via="crmcom")


def _check_query(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InvalidValue(f"Unknown parameter(s): {', '.join(unknown)}")


def _one(db: Session, lead: Lead, fields: list[str] | None) -> ORJSONResponse:
    db.flush()
    return envelope.ok(serialize.project(serialize.lead(lead, clock.now()), fields))


def _many(rows: list[Lead], fields: list[str] | None) -> ORJSONResponse:
    now = clock.now()
    return envelope.ok([serialize.project(serialize.lead(row, now), fields) for row in rows])


def _lead(db: Session, identifier: Any) -> Lead:
    if identifier is None:
        raise MandatoryParameterMissing("lead_identifier is mandatory")
    return identifiers.resolve(db, "lead", identifier, param="lead_identifier")


# --- authentication -------------------------------------------------------------------


@router.post("/authentication/token", openapi_extra=BODY_DOC)
def login(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Returns a token for ``username``/``password`` in ``organisation`` (and ``unit``)."""
    _version(version)
    body = wire.parse_body(raw)
    wire.check_keys(body, {"username", "password", "organisation", "unit"})
    username = wire.text(wire.require(body, "username"), "username")
    password = wire.text(wire.require(body, "password"), "password")
    organisation = wire.text(wire.require(body, "organisation"), "organisation")
    settings = request.app.state.settings
    if organisation.strip().upper() != settings.organisation.upper():
        raise AuthenticationFailed(f"Unknown organisation {organisation!r}")
    user = tokens.authenticate(db, username, password)
    token = tokens.issue(db, user, unit=_unit(db, body), ttl_seconds=settings.token_ttl_seconds)
    return envelope.ok({"token": token})


@router.post(
    "/authentication/web_api_key/token",
    openapi_extra={**BODY_DOC, "requestBody": {**BODY_DOC["requestBody"], "required": False}},
)
def login_with_api_key(
    version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession
):
    """Returns a token for the web API key sent as the HTTP Basic username (empty
    password); ``unit`` optional (else the key's unit)."""
    _version(version)
    body = wire.parse_body(raw) if raw.strip() else {}
    wire.check_keys(body, {"unit"})
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise AuthenticationFailed("Send the web API key as the HTTP Basic username")
    key, password = tokens.basic(credentials.strip())
    if password:
        raise AuthenticationFailed("The HTTP Basic password must be empty for a web API key")
    api_key = tokens.api_key_user(db, key)
    token = tokens.issue(
        db,
        api_key.user,
        unit=_unit(db, body) or api_key.unit,
        ttl_seconds=request.app.state.settings.token_ttl_seconds,
        label="web_api_key",
    )
    return envelope.ok({"token": token})


def _unit(db: Session, body: dict) -> Any:
    """The unit a login names (a unit id, or an identifier object), or None."""
    if body.get("unit") is None:
        return None
    unit_ref = body["unit"]
    ident = unit_ref if isinstance(unit_ref, dict) else {"id": wire.text(unit_ref, "unit")}
    return identifiers.resolve(db, "unit", ident, param="unit")


@router.post("/authentication/token/release", openapi_extra=BODY_DOC)
def release(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Makes ``token`` unusable by any later call."""
    _version(version)
    body = wire.parse_body(raw)
    wire.check_keys(body, {"token"})
    tokens.release(db, wire.text(wire.require(body, "token"), "token"))
    return envelope.ok(None)


# --- reads ----------------------------------------------------------------------------


@router.get("/leads/show")
def show(
    version: Version,
    request: Request,
    token: Token = None,
    lead_identifier: Ident = None,
    fields_set: Fields = None,
    db: Session = DbSession,
):
    """Returns one lead."""
    _version(version)
    _check_query(request, {"token", "lead_identifier", "fields_set"})
    _actor(db, request, token)
    lead = _lead(db, wire.query_identifier(request.query_params, "lead_identifier"))
    return _one(db, lead, wire.fields_set(fields_set))


class ListQuery:
    """The query of leads/list and the get_* methods: filters, paging, fields_set.

    Declared for the OpenAPI document; the values are read with the identifier syntax
    (``type_identifier=name=…``) from the query string itself.
    """

    def __init__(
        self,
        token: Token = None,
        contact_information_identifier: Ident = None,
        accounts_receivable_identifier: Ident = None,
        type_identifier: Ident = None,
        category_identifier: Ident = None,
        source_identifier: Ident = None,
        importance: Text = None,
        priority: Text = None,
        number_of_results: Count = None,
        offset: Offset = None,
        fields_set: Fields = None,
    ) -> None:
        self.token = token
        self.fields_set = fields_set


Query_ = Annotated[ListQuery, Depends()]


def _filter(db: Session, params) -> queries.LeadFilter:
    f = queries.LeadFilter()
    kinds = {
        "contact_information_identifier": ("contact", "contact"),
        "accounts_receivable_identifier": ("accounts_receivable", "accounts_receivable"),
        "type_identifier": ("type", "lead_type"),
        "category_identifier": ("category", "lead_category"),
    }
    for param, (attr, kind) in kinds.items():
        ident = wire.query_identifier(params, param)
        if ident is not None:
            setattr(f, attr, identifiers.resolve(db, kind, ident, param=param))
    source = wire.query_identifier(params, "source_identifier")
    if source is not None:
        field, value = identifiers.single_field("source_identifier", source, ("type", "name"))
        if field == "type":
            f.source_type = canonical_source_type(value)
        else:
            f.source_name = value
    if params.get("importance") is not None:
        importance = params["importance"].strip().upper()
        if importance not in IMPORTANCES:
            raise InvalidValue(f"importance must be one of {', '.join(IMPORTANCES)}")
        f.importance = importance
    if params.get("priority") is not None:
        priority = wire.whole(params["priority"], "priority")
        if not 1 <= priority <= 6:
            raise InvalidValue("priority must be a whole number from 1 to 6")
        f.priority = priority
    return f


def _search(db: Session, request: Request, f: queries.LeadFilter, fields_set):
    offset, limit = wire.paging(request.query_params)
    rows = queries.find(db, f, offset=offset, limit=limit)
    return _many(rows, wire.fields_set(fields_set))


@router.get("/leads/list")
def list_leads(
    version: Version,
    request: Request,
    q: Query_,
    db: Session = DbSession,
):
    """Returns the leads matching the filters given (at least one is needed)."""
    _version(version)
    _check_query(request, LIST_KEYS)
    _actor(db, request, q.token)
    semi = (
        "contact_information_identifier",
        "type_identifier",
        "category_identifier",
        "source_identifier",
        "importance",
        "priority",
    )
    if not any(request.query_params.get(p) for p in semi):
        raise MandatoryParameterMissing(f"leads/list needs at least one of: {', '.join(semi)}")
    return _search(db, request, _filter(db, request.query_params), q.fields_set)


@router.get("/leads/get_overdue")
def get_overdue(
    version: Version,
    request: Request,
    q: Query_,
    db: Session = DbSession,
):
    """Returns open leads past their expected completion date."""
    _version(version)
    _check_query(request, LIST_KEYS)
    _actor(db, request, q.token)
    f = _filter(db, request.query_params)
    f.states = vocabulary.OPEN_STATES
    f.overdue_at = clock.now()
    return _search(db, request, f, q.fields_set)


@router.get("/leads/get_close_to_estimated_completion_time")
def get_close(
    version: Version,
    request: Request,
    q: Query_,
    period: Annotated[str | None, Query(description="How far ahead to look")] = None,
    uot: Annotated[str | None, Query(description="MINUTES … YEARS")] = None,
    db: Session = DbSession,
):
    """Returns open leads due between today and ``period`` ``uot`` from now."""
    _version(version)
    _check_query(request, LIST_KEYS | {"period", "uot"})
    _actor(db, request, q.token)
    if period is None or uot is None:
        raise MandatoryParameterMissing("period and uot are mandatory")
    amount = wire.number(period, "period")
    if amount < 0:
        raise InvalidValue("period must be 0 or more")
    now = clock.now()
    unit = periods.check_unit(uot)
    try:
        until = periods.add(now, amount, unit)
    except OverflowError:
        raise InvalidValue("period is too far in the future") from None
    if unit not in ("MINUTES", "HOURS"):
        until = datetime.combine(until.date(), time.max).replace(microsecond=0)
    f = _filter(db, request.query_params)
    f.states = vocabulary.OPEN_STATES
    f.due_between = (datetime.combine(now.date(), time.min), until)
    return _search(db, request, f, q.fields_set)


def _by_state(name: str):
    def endpoint(
        version: Version,
        request: Request,
        q: Query_,
        db: Session = DbSession,
    ):
        _version(version)
        _check_query(request, LIST_KEYS)
        _actor(db, request, q.token)
        f = _filter(db, request.query_params)
        f.states = GET_STATES[name]
        return _search(db, request, f, q.fields_set)

    endpoint.__name__ = name
    endpoint.__doc__ = f"Returns the leads in life cycle state {GET_STATES[name][0]}."
    return endpoint


for _name in GET_STATES:
    router.add_api_route(f"/leads/{_name}", _by_state(_name), methods=["GET"], name=_name)


# --- writes ---------------------------------------------------------------------------


@router.post("/leads/create", openapi_extra=BODY_DOC)
def create(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Creates a lead and returns it."""
    _version(version)
    body = wire.parse_body(raw)
    actor = _actor(db, request, body.get("token"))
    lead = leads.create(db, actor, leadinput.changes(db, body, creating=True))
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


@router.post("/leads/update", openapi_extra=BODY_DOC)
def update(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Changes the fields given of a Pending or In Progress lead."""
    _version(version)
    body = wire.parse_body(raw)
    actor = _actor(db, request, body.get("token"))
    lead = _lead(db, body.get("lead_identifier"))
    lead = leads.update(db, actor, lead, leadinput.changes(db, body, creating=False))
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


def _action(request: Request, raw: bytes, db: Session, extra: set[str]):
    body = wire.parse_body(raw)
    wire.check_keys(body, {"token", "lead_identifier", "status_identifier", "fields_set", *extra})
    actor = _actor(db, request, body.get("token"))
    lead = _lead(db, body.get("lead_identifier"))
    status = identifiers.resolve_optional(
        db, "lead_status", body.get("status_identifier"), param="status_identifier"
    )
    return body, actor, lead, status


@router.post("/leads/start_progress", openapi_extra=BODY_DOC)
def start_progress(
    version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession
):
    """Moves a Pending lead to In Progress."""
    _version(version)
    body, actor, lead, status = _action(request, raw, db, set())
    lifecycle.start_progress(db, actor, lead, status)
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


@router.post("/leads/cancel", openapi_extra=BODY_DOC)
def cancel(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Cancels a lead that is neither Won nor Lost."""
    _version(version)
    body, actor, lead, status = _action(request, raw, db, set())
    lifecycle.cancel(db, actor, lead, status)
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


@router.post("/leads/win", openapi_extra=BODY_DOC)
def win(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Marks an In Progress lead Won, with its customer's accounts receivable."""
    _version(version)
    body, actor, lead, status = _action(request, raw, db, {"accounts_receivable"})
    account = _accounts_receivable(db, lead, body.get("accounts_receivable"))
    lifecycle.win(db, actor, lead, status, account)
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


@router.post("/leads/lost", openapi_extra=BODY_DOC)
def lost(version: Version, request: Request, raw: bytes = RawBody, db: Session = DbSession):
    """Marks a Pending or In Progress lead Lost, for a lost reason."""
    _version(version)
    body, actor, lead, status = _action(request, raw, db, {"lost_reason_identifier"})
    reason = identifiers.resolve(
        db,
        "lost_reason",
        wire.require(body, "lost_reason_identifier"),
        param="lost_reason_identifier",
    )
    lifecycle.lose(db, actor, lead, reason, status)
    return _one(db, lead, wire.fields_set(body.get("fields_set")))


def _accounts_receivable(db: Session, lead: Lead, value: Any):
    """The win's ``accounts_receivable``: EXISTING by identifier, or NEW for the contact."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidValue("accounts_receivable must be an object with an action")
    action = str(value.get("action") or "").upper()
    if action == "EXISTING":
        wire.check_keys(value, {"action", "accounts_receivable_identifier"}, "accounts_receivable")
        return identifiers.resolve(
            db,
            "accounts_receivable",
            wire.require(value, "accounts_receivable_identifier"),
            param="accounts_receivable.accounts_receivable_identifier",
        )
    if action == "NEW":
        wire.check_keys(
            value,
            {"action", "name", "description", "classification_identifier"},
            "accounts_receivable",
        )
        if lead.life_cycle_state != "IN_PROGRESS":
            return None  # the move itself refuses, before anything is created
        name = wire.text(value.get("name"), "accounts_receivable.name")
        return open_account(
            db, lead.contact, name, wire.text(value.get("description"), "description")
        )
    raise InvalidValue("accounts_receivable.action must be NEW or EXISTING")
