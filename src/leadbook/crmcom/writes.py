"""The CRM.COM write methods: leads/create, leads/update and the life cycle moves."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from leadbook import idempotency
from leadbook import models as m
from leadbook.crmcom import answers, document, envelope, leadinput, serialize, wire
from leadbook.crmcom.call import Call, Move, action, writer
from leadbook.crmcom.envelope import ORJSONResponse
from leadbook.deps import DbSession
from leadbook.domain import identifiers, leads, lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidValue
from leadbook.models import AccountsReceivable

router = APIRouter()
Creating = Annotated[Call, writer("leads/create")]
Updating = Annotated[Move, action("leads/update", status=False)]
Starting = Annotated[Move, action("leads/start_progress")]
Cancelling = Annotated[Move, action("leads/cancel")]
Winning = Annotated[Move, action("leads/win")]
Losing = Annotated[Move, action("leads/lost")]


@router.post("/leads/create", openapi_extra=document.post("leads/create"))
def create(call: Creating, request: Request, db: Session = DbSession):
    """Creates a lead and returns it (the first answer again for a repeated
    Idempotency-Key header)."""
    key, scope = idempotency.key_of(request), f"crmcom:{call.actor.user.id}"
    asked = idempotency.fingerprint({k: v for k, v in call.body.items() if k != "token"})
    kept = idempotency.replay(db, scope, key, asked)
    if kept is not None:
        return kept
    lead = leads.create(db, call.actor, leadinput.changes(db, call.body, creating=True))
    answer = _answer(db, call.actor, lead, call.body)
    return idempotency.remember(db, request, scope, key, asked, answer)


@router.post("/leads/update", openapi_extra=document.post("leads/update"))
def update(call: Updating, db: Session = DbSession):
    """Changes the fields given of a Pending or In Progress lead."""
    changes = leadinput.changes(db, call.body, creating=False)
    lead = leads.update(db, call.actor, call.lead, changes)
    return _answer(db, call.actor, lead, call.body)


@router.post("/leads/start_progress", openapi_extra=document.post("leads/start_progress"))
def start_progress(move: Starting, db: Session = DbSession):
    """Moves a Pending lead to In Progress."""
    lifecycle.start_progress(db, move.actor, move.lead, move.status)
    return _answer(db, move.actor, move.lead, move.body)


@router.post("/leads/cancel", openapi_extra=document.post("leads/cancel"))
def cancel(move: Cancelling, db: Session = DbSession):
    """Cancels a lead that is neither Won nor Lost."""
    lifecycle.cancel(db, move.actor, move.lead, move.status)
    return _answer(db, move.actor, move.lead, move.body)


@router.post("/leads/win", openapi_extra=document.post("leads/win"))
def win(move: Winning, db: Session = DbSession):
    """Marks an In Progress lead Won, with its customer's accounts receivable."""
    account, new = _accounts_receivable(db, move.body.get("accounts_receivable"))
    lifecycle.win(db, move.actor, move.lead, move.status, account, new)
    return _answer(db, move.actor, move.lead, move.body)


@router.post("/leads/lost", openapi_extra=document.post("leads/lost"))
def lost(move: Losing, db: Session = DbSession):
    """Marks a Pending or In Progress lead Lost, for a lost reason."""
    reason = identifiers.resolve(
        db,
        "lost_reason",
        wire.require(move.body, "lost_reason_identifier"),
        param="lost_reason_identifier",
    )
    lifecycle.lose(db, move.actor, move.lead, reason, move.status)
    return _answer(db, move.actor, move.lead, move.body)


def _answer(db: Session, actor: Actor, lead: m.Lead, body: dict[str, Any]) -> ORJSONResponse:
    """Returns the written lead's fields the body asks for: from the row just written when
    it holds them all (the answer the read would give), else read in one statement."""
    fields = wire.fields_set(body.get("fields_set"))
    db.flush()  # the row as stored (the domain's writes flush: nothing left, as a rule)
    found = serialize.from_row(lead, fields)
    if found is None:
        return answers.one(db, actor, lead, fields)
    return envelope.ok(found)


def _accounts_receivable(
    db: Session, value: Any
) -> tuple[AccountsReceivable | None, lifecycle.NewAccount | None]:
    """The win's ``accounts_receivable``: EXISTING by identifier, or NEW for the contact."""
    if value is None:
        return None, None
    if not isinstance(value, dict):
        raise InvalidValue("accounts_receivable must be an object with an action")
    action = str(value.get("action") or "").upper()
    if action == "EXISTING":
        wire.check_keys(value, {"action", "accounts_receivable_identifier"}, "accounts_receivable")
        existing = identifiers.resolve(
            db,
            "accounts_receivable",
            wire.require(value, "accounts_receivable_identifier"),
            param="accounts_receivable.accounts_receivable_identifier",
        )
        return existing, None
    if action == "NEW":
        wire.check_keys(
            value,
            {"action", "name", "description", "classification_identifier"},
            "accounts_receivable",
        )
        name = wire.text(value.get("name"), "accounts_receivable.name")
        description = wire.text(value.get("description"), "description")
        return None, lifecycle.NewAccount(name, description)
    raise InvalidValue("accounts_receivable.action must be NEW or EXISTING")
