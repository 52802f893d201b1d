"""The admin face: reference data managed over HTTP (``/api/admin/{section}``).

The same sections and rules as ``leadbook config apply``: PUT upserts rows by their
natural key, DELETE refuses rows that leads or other rows still use. Admin users only,
with a token as ``Authorization: Bearer …``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from leadbook.admin import duplicates
from leadbook.admin.auth import Admin
from leadbook.deps import DbSession
from leadbook.domain import queries, values
from leadbook.domain.errors import DomainError, NotFound
from leadbook.faces import Face
from leadbook.models import Lead, LeadEvent
from leadbook.refdata import config, edits

PREFIX = "/api/admin"
router = APIRouter(prefix=PREFIX, tags=["Admin: reference data"])


def render_error(_request: Request, exc: DomainError) -> JSONResponse:
    """Renders a refusal as ``{"error": {"code", "message"}}`` (and ``field``, the field or
    parameter at fault, when the refusal names one)."""
    error = {"code": exc.code, "message": exc.message}
    if exc.field is not None:
        error["field"] = exc.field
    return JSONResponse({"error": error}, status_code=exc.http_status)


face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


router.include_router(duplicates.router)  # before /{section}, which would take its paths


def _section(name: str) -> config.Section:
    if name not in config.BY_NAME:
        raise NotFound(f"No reference data section {name!r}; see GET {PREFIX}")
    return config.BY_NAME[name]


@router.get("")
def sections(_: Admin) -> dict[str, list[str]]:
    """Returns the sections of reference data and their natural keys."""
    return {"sections": [f"{s.name} (by {s.key})" for s in config.SECTIONS]}


@router.get("/leads/{number}/events")
def lead_events(number: int, _: Admin, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns the audit trail of lead ``number`` and of the leads merged into it: who
    changed what, when, through which face (kept after the lead is deleted)."""
    values.whole(number, "number", low=1)
    lead_id = db.scalar(select(Lead.id).where(Lead.number == number))
    merged = queries.absorbed(db, lead_id) if lead_id else []
    mine = or_(LeadEvent.lead_number == number, LeadEvent.lead_id.in_(merged))
    rows = db.scalars(select(LeadEvent).where(mine).order_by(LeadEvent.id)).all()
    if not rows:
        raise NotFound(f"No lead number {number} was ever recorded")
    return [
        {
            "id": e.id,
            "occurred_at": e.occurred_at.isoformat(),
            "lead_number": e.lead_number,
            "action": e.action,
            "via": e.via,
            "user": {"id": e.user_id, "username": e.username},
            "unit_id": e.unit_id,
            "changes": e.changes,
        }
        for e in rows
    ]


@router.get("/{section}")
def list_rows(section: str, _: Admin, db: Session = DbSession) -> list[dict[str, Any]]:
    """Returns every row of ``section``."""
    return config.export(db, [_section(section)])[section]


@router.get("/{section}/{key}")
def get_row(section: str, key: str, _: Admin, db: Session = DbSession) -> dict[str, Any]:
    """Returns the row of ``section`` whose natural key is ``key``."""
    spec = _section(section)
    for row in config.export(db, [spec])[section]:
        if str(row.get(spec.key)) == key:
            return row
    raise NotFound(f"No {section} row {key!r}")


@router.put("/{section}")
def put_rows(
    section: str,
    actor: Admin,
    rows: Annotated[list[dict[str, Any]], Body(description="Rows, as config apply takes them")],
    db: Session = DbSession,
) -> dict[str, dict[str, int]]:
    """Creates or updates the rows given; returns how many were created/updated/unchanged."""
    _section(section)
    outcome = config.apply(db, {section: rows}, actor=actor)
    return {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged}


@router.delete("/{section}/{key}")
def delete_row(section: str, key: str, actor: Admin, db: Session = DbSession) -> dict[str, str]:
    """Deletes a row nothing refers to any more (``refdata.edits.delete``)."""
    spec = _section(section)
    edits.delete(db, actor, spec, edits.by_key(db, spec, key))
    return {"deleted": key}
