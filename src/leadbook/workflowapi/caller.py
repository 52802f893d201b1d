"""Who calls the workflow API: a token (``Authorization: Bearer …``) or a web API key
(``X-Api-Key``), as for the change feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from leadbook.auth.callers import api_caller
from leadbook.deps import DbSession
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import NotFound
from leadbook.models import Lead


def _caller(request: Request, db: Session = DbSession) -> Actor:
    return api_caller(request, db, "api")


Caller = Annotated[Actor, Depends(_caller)]


def lead_of(db: Session, actor: Actor, number: int) -> Lead:
    """Returns lead ``number`` if ``actor`` sees it, else NotFound (naming ``number``)."""
    lead = queries.by_number(db, actor, number) if 0 < number < 2**31 else None
    if lead is None:
        raise NotFound(f"No lead has number {number}", field="number")
    return lead
