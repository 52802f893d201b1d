"""``GET /api/leads``: the leads the caller sees, sortable by score; ``GET
/api/leads/{number}/score``: a lead's score and which rules gave what.

Authenticated like the change feed (Bearer token or ``X-Api-Key``); answers and refusals
in the admin API's JSON style, a refusal naming the parameter at fault.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from leadbook.admin.routes import render_error
from leadbook.auth.callers import api_caller
from leadbook.deps import DbSession
from leadbook.domain import clock, identifiers, queries, scoring, values
from leadbook.domain.errors import InvalidValue, NotFound
from leadbook.domain.filters import LeadFilter
from leadbook.events.routes import whole_param
from leadbook.faces import Face

PREFIX = "/api/leads"
PARAMETERS = ("sort", "descending", "offset", "limit", "lead_type")
MAX_LIMIT = 500
router = APIRouter(prefix=PREFIX, tags=["Scores"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


class LeadRow(BaseModel):
    """A lead in a list: its number, topic, type, status and score."""

    number: int
    topic: str | None
    type: str
    status: str
    life_cycle_state: str
    score: int


class ScorePart(BaseModel):
    """What one rule gave the lead."""

    rule: str
    kind: str
    points: int
    reason: str


class Score(BaseModel):
    """A lead's stored score and, as of now, the rules' parts and their total."""

    number: int
    score: int
    total_now: int
    parts: list[ScorePart]


@router.get("")
def leads(request: Request, db: Session = DbSession) -> list[LeadRow]:
    """Returns up to ``limit`` (50; at most 500) leads from ``offset``, of ``lead_type``
    (a name) if given, ordered by ``sort`` (one of number, score, priority, …; number)
    then number, ``descending`` (true/false) if asked."""
    actor = api_caller(request, db, "api")
    params = request.query_params
    for name in params:
        if name not in PARAMETERS:
            raise InvalidValue(
                f"Unknown parameter {{field}}; use {', '.join(PARAMETERS)}", field=name
            )
    sort = params.get("sort", "number")
    if sort not in queries.SORTS:
        raise InvalidValue(f"{{field}} must be one of {', '.join(queries.SORTS)}", field="sort")
    descending = params.get("descending", "false").lower()
    if descending not in ("true", "false"):
        raise InvalidValue("{field} must be true or false", field="descending")
    found = LeadFilter()
    if params.get("lead_type") is not None:
        found.type = identifiers.resolve(
            db, "lead_type", {"name": params["lead_type"]}, param="lead_type"
        )
    rows = db.scalars(
        queries.page(
            actor,
            found,
            offset=whole_param(params, "offset", 0, 0, values.MAX_WHOLE),
            limit=whole_param(params, "limit", 50, 1, MAX_LIMIT),
            sort=sort,
            descending=descending == "true",
        ).options(*queries.JOINED)
    )
    return [
        LeadRow(
            number=lead.number,
            topic=lead.topic,
            type=lead.type.name,
            status=lead.status.name,
            life_cycle_state=lead.life_cycle_state,
            score=lead.score,
        )
        for lead in rows
    ]


@router.get("/{number}/score")
def score(number: int, request: Request, db: Session = DbSession) -> Score:
    """Returns lead ``number``'s stored score and what each rule gives it now."""
    actor = api_caller(request, db, "api")
    values.whole(number, "number", low=1)
    lead = queries.by_number(db, actor, number)
    if lead is None:
        raise NotFound(f"No lead has number {number}", field="number")
    parts = scoring.explain(lead, scoring.active_rules(db), clock.now())
    return Score(
        number=lead.number,
        score=lead.score,
        total_now=sum(part.points for part in parts),
        parts=[ScorePart(**vars(part)) for part in parts],
    )
