"""``GET /api/events?after=&limit=&type=&lead_type=``: the change feed, oldest first.

Authenticated by a token (``Authorization: Bearer …``) or a web API key (``X-Api-Key``);
each caller reads the events of the leads it may see. Answers and refusals in the admin
API's JSON style; a refusal names the parameter at fault.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from leadbook.admin.routes import render_error
from leadbook.auth.callers import api_caller
from leadbook.deps import DbSession
from leadbook.domain import feed, identifiers, values
from leadbook.domain.errors import InvalidValue
from leadbook.faces import Face

PREFIX = "/api/events"
PARAMETERS = ("after", "limit", "type", "lead_type")
MAX_LIMIT = 1000
router = APIRouter(prefix=PREFIX, tags=["Change feed"])
face = Face(router=router, prefix=PREFIX, render_error=render_error, http_errors=True)


def whole_param(params: Any, name: str, default: int, low: int, high: int) -> int:
    """Returns query parameter ``name`` as a whole number within [low, high], or refuses."""
    text = params.get(name)
    if text is None:
        return default
    if not text.strip().isdigit():
        raise InvalidValue(f"{{field}} must be a whole number, not {text!r}", field=name)
    return values.whole(int(text), name, low=low, high=high)


@router.get("")
def events(request: Request, db: Session = DbSession) -> dict[str, Any]:
    """Returns up to ``limit`` (100; at most 1000) events after cursor ``after`` (0: from
    the start), of the types in ``type`` (comma separated) and lead type ``lead_type``
    (a name); ``next`` is the cursor to ask after next time."""
    actor = api_caller(request, db, "feed")
    params = request.query_params
    for name in params:
        if name not in PARAMETERS:
            raise InvalidValue(
                f"Unknown parameter {{field}}; use {', '.join(PARAMETERS)}", field=name
            )
    after = whole_param(params, "after", 0, 0, values.MAX_WHOLE)
    limit = whole_param(params, "limit", 100, 1, MAX_LIMIT)
    types = [t.strip() for t in params.get("type", "").split(",") if t.strip()]
    for kind in types:
        if kind not in feed.TYPES:
            raise InvalidValue(
                f"{{field}}: no event type {kind!r}; one of {', '.join(feed.TYPES)}", field="type"
            )
    lead_type = None
    if params.get("lead_type") is not None:
        lead_type = identifiers.resolve(
            db, "lead_type", {"name": params["lead_type"]}, param="lead_type"
        )
    found = feed.page(db, actor, after=after, limit=limit, types=types, lead_type=lead_type)
    return {
        "events": [feed.envelope(e) for e in found],
        "next": found[-1].position if found else after,
        "more": len(found) == limit,
    }
