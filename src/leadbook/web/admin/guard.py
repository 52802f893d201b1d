"""What the admin pages share: the signed-in administrator (others get the web's 403
page) and a refusal worded for a form, at the input it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.domain.actor import Actor
from leadbook.domain.errors import DomainError
from leadbook.web.page import admin_only, signed_in


def administrator(request: Request, db: Session = DbSession) -> Actor:
    """Returns the signed-in administrator; refuses anyone else (403)."""
    actor = signed_in(request, db)
    admin_only(actor, "the admin area")
    return actor


Administrator = Annotated[Actor, Depends(administrator)]


@dataclass(frozen=True)
class Refusal:
    """A refusal as a form shows it: the message, and the input it stands next to (None:
    above the form)."""

    message: str
    input: str | None

    @classmethod
    def of(cls, exc: DomainError, labels: dict[str, str], inputs: set[str]) -> Refusal:
        """Returns ``exc`` worded with the form's ``labels``, at its field's input when
        the form has one named so (``inputs``)."""
        at = exc.field if exc.field in inputs else None
        return cls(exc.worded(labels), at)
