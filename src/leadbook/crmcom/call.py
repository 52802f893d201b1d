"""The preamble of a CRM.COM method, done by one dependency: the version checked, the
query's keys or the body read and checked, the token resolved to the caller.

A GET method's query is read as it is (``Asked``: each parameter a string, the last one
given), not declared parameter by parameter: FastAPI would analyse each one's annotation
on every request (0.25 ms of a show's 2 ms of CPU here). Its parameters are documented
from ``methods`` (``document.get``).

``reader``, ``body``, ``writer`` and ``action`` return the dependency doing the preamble; a
face names it once in an ``Annotated`` alias (``Annotated[Call, writer(method)]``), so an
endpoint declares the alias and repeats none of it.
"""

# no ``from __future__ import annotations``: FastAPI reads the preambles' annotations,
# which name dependencies local to their factory

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.crmcom import methods, wire
from leadbook.deps import DbSession, RawBody
from leadbook.domain import identifiers, writes
from leadbook.domain.actor import Actor
from leadbook.domain.errors import DomainError, InvalidValue, MandatoryParameterMissing, NotFound

VERSION = "API version: v2 (the seeds' `$version` too)"
Version = Annotated[str, Path(description=VERSION)]


@dataclass(frozen=True)
class Asked:
    """A GET method's call: the caller's token (the query's or the Authorization
    header's, checked by the read's own statement) and the query's parameters."""

    token: str | None
    query: Mapping[str, str]

    def get(self, name: str) -> str | None:
        """Returns the query's parameter ``name`` (None when not given)."""
        return self.query.get(name)


@dataclass(frozen=True)
class Call:
    """A POST method's JSON body and the caller its token names."""

    body: dict[str, Any]
    actor: Actor


@dataclass(frozen=True)
class Move:
    """A life cycle method's call: the body, the caller, the lead and the status named."""

    body: dict[str, Any]
    actor: Actor
    lead: m.Lead
    status: m.LeadStatus | None


def _check_version(version: str) -> None:
    if version not in ("v2", "$version"):
        raise NotFound(f"Unknown API version {version!r}; this server speaks v2")


def _token(request: Request, token: str | None) -> str | None:
    if not token:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
    return token


def _actor(db: Session, request: Request, token: str | None) -> Actor:
    actor = tokens.resolve(db, _token(request, token))
    return Actor(user=actor.user, unit=actor.unit, via="crmcom")


def _locked(db: Session, request: Request, body: dict[str, Any]) -> tuple[Actor, m.Lead]:
    """Returns the caller and the lead it names, locked for the write: one statement when
    both are found (where a lock is a row's: ``writes.locks_rows``); else the token's check,
    then the lead's, say which is missing."""
    token, identifier = _token(request, body.get("token")), body.get("lead_identifier")
    if token and isinstance(token, str) and identifier is not None and writes.locks_rows(db):
        try:
            found = identifiers.lead_for(db, tokens.caller(token), identifier)
        except DomainError:  # a malformed token or identifier: refused below, token first
            found = None
        if found is not None:
            lead, row = found
            actor = tokens.actor_of(db, row)
            return Actor(user=actor.user, unit=actor.unit, via="crmcom"), lead
    actor = _actor(db, request, body.get("token"))
    return actor, lead_of(db, actor, identifier, lock=True)


def lead_of(db: Session, actor: Actor, identifier: Any, *, lock: bool = False) -> m.Lead:
    """Returns the lead ``lead_identifier`` names, among those ``actor`` sees (``lock``:
    locked for the write about to change it, in the same statement)."""
    return identifiers.lead(db, actor, _mandatory(identifier), lock=lock)


def lead_named(identifier: Any) -> tuple[str, Any, NotFound]:
    """Returns the column and value of the lead ``lead_identifier`` names and the refusal
    when none is seen (``identifiers.lead_key``)."""
    return identifiers.lead_key(_mandatory(identifier))


def _mandatory(identifier: Any) -> Any:
    if identifier is None:
        raise MandatoryParameterMissing("lead_identifier is mandatory")
    return identifier


def reader(method: str) -> Any:
    """Returns the dependency of a GET method's ``Asked``; the query may hold only the
    parameters ``method`` takes."""
    allowed = methods.keys(method)

    async def preamble(request: Request) -> Asked:
        _check_version(request.path_params["version"])  # on the event loop: no thread hop
        query = request.query_params
        unknown = sorted(set(query) - allowed)
        if unknown:
            raise InvalidValue(f"Unknown parameter(s): {', '.join(unknown)}")
        return Asked(_token(request, query.get("token")), query)

    return Depends(preamble)


def _body_reader(
    method: str, *, optional: bool = False
) -> Callable[[str, bytes], Awaitable[dict[str, Any]]]:
    allowed = methods.keys(method)

    async def preamble(version: Version, raw: bytes = RawBody) -> dict[str, Any]:
        _check_version(version)  # on the event loop: no database, no thread hop
        body = wire.parse_body(raw) if raw.strip() or not optional else {}
        wire.check_keys(body, allowed)
        return body

    return preamble


def body(method: str, *, optional: bool = False) -> Any:
    """Returns the dependency of a login method's body, whose keys may be only the
    parameters ``method`` takes (an empty body reads as ``{}`` when ``optional``)."""
    return Depends(_body_reader(method, optional=optional))


def writer(method: str) -> Any:
    """Returns the dependency of a POST method's Call, its body's keys the parameters
    ``method`` takes."""
    read = _body_reader(method)

    def preamble(
        request: Request,
        body: Annotated[dict[str, Any], Depends(read)],
        db: Session = DbSession,
    ) -> Call:
        return Call(body, _actor(db, request, body.get("token")))

    return Depends(preamble)


def action(method: str, *, status: bool = True) -> Any:
    """Returns the dependency of a life cycle method's Move (the caller and the lead locked
    for the move, read in one statement, and the status unless ``status`` is False: a
    leads/update's status is one of its changes), in one trip to the thread pool."""
    read = _body_reader(method)

    def preamble(
        request: Request,
        body: Annotated[dict[str, Any], Depends(read)],
        db: Session = DbSession,
    ) -> Move:
        actor, lead = _locked(db, request, body)
        named = None
        if status:
            named = identifiers.resolve_optional(
                db, "lead_status", body.get("status_identifier"), param="status_identifier"
            )
        return Move(body, actor, lead, named)

    return Depends(preamble)
