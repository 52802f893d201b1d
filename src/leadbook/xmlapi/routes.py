"""Routes of the XML resource API (seed 004): ``/leads.xml`` and ``/leads/{id}.xml``.

Every path also exists under ``/{business_file_id}/``, as incwo clients send it; only the
configured business file id answers there.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.responses import Response

from leadbook.deps import DbSession, RawBody
from leadbook.domain import leads as domain_leads
from leadbook.domain import queries
from leadbook.domain.actor import Actor
from leadbook.domain.errors import MethodNotAllowed, NotFound
from leadbook.domain.filters import LeadFilter
from leadbook.faces import Face, root_path, route_path
from leadbook.xmlapi import document, fields, leads, paging, representation
from leadbook.xmlapi.auth import caller
from leadbook.xmlapi.responses import render_error, xml_response

log = logging.getLogger(__name__)
router = APIRouter(tags=["XML resource API"])
face = Face(
    router=router, prefix="/leads", render_error=render_error, owns=lambda p: p.endswith(".xml")
)
Caller = Annotated[Actor, Depends(caller)]
IGNORED_HEADER = "X-Ignored-Elements"


def _business_file(request: Request) -> str:
    """Returns the path's prefix: empty, or ``/{id}`` when the id is the configured one."""
    given = request.path_params.get("business_file_id")
    if given is None:
        return ""
    if given != request.app.state.settings.xml_business_file_id:
        raise NotFound(f"There is no business file {given!r}")
    return f"/{given}"


Prefix = Annotated[str, Depends(_business_file)]
# read by _business_file from the path, declared for the OpenAPI document
BUSINESS_FILE_ID = {
    "name": "business_file_id",
    "in": "path",
    "required": True,
    "description": "The configured business file id (LEADBOOK_XML_BUSINESS_FILE_ID)",
    "schema": {"type": "string"},
}


def _document(view: dict[str, str]) -> bytes:
    return document.render_object("lead", [(name, view[name]) for name in fields.ORDER])


def _body(raw: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """Returns the known elements of a ``<lead>`` body, typed; names the ignored ones in
    ``headers`` and the log."""
    known, ignored = document.read_object(raw, "lead", fields.KNOWN)
    body = fields.read(known)
    if ignored:
        names = ", ".join(ignored)
        headers[IGNORED_HEADER] = "".join(c if " " <= c <= "~" else "?" for c in names)
        log.info("XML API: ignored unknown <lead> element(s): %s", names)
    return body


def _routes(prefix: str) -> None:
    doc = {"parameters": [BUSINESS_FILE_ID]} if prefix else None

    @router.get(prefix + "/leads.xml", name=f"list{prefix}", openapi_extra=doc)
    def list_leads(request: Request, actor: Caller, _: Prefix, db: Session = DbSession) -> Response:
        """Returns one page of leads, by ascending id."""
        page = paging.page(request.query_params.get("page"), request.query_params.get("per_page"))
        views = representation.listed(db, actor, page.offset, page.size)
        items = [[(name, view[name]) for name in fields.ORDER] for view in views]
        total = page.total_pages(queries.count(db, actor, LeadFilter()))
        return xml_response(document.render_list("leads", "lead", items, page.number, total))

    @router.get(prefix + "/leads/{number}.xml", name=f"show{prefix}", openapi_extra=doc)
    def show(number: str, actor: Caller, _: Prefix, db: Session = DbSession) -> Response:
        """Returns one lead."""
        return xml_response(_document(representation.shown(db, actor, number)))

    @router.post(prefix + "/leads.xml", name=f"create{prefix}", openapi_extra=doc, status_code=201)
    def create(
        request: Request,
        actor: Caller,
        base: Prefix,
        raw: bytes = RawBody,
        db: Session = DbSession,
    ) -> Response:
        """Creates a lead from a ``<lead>`` document."""
        headers: dict[str, str] = {}
        body = _body(raw, headers)
        lead = leads.create(db, actor, body, request.app.state.settings)
        db.flush()
        headers["Location"] = f"{root_path(request)}{base}/leads/{lead.number}.xml"
        return xml_response(_document(representation.lead_view(db, actor, lead)), 201, headers)

    @router.put(prefix + "/leads/{number}.xml", name=f"update{prefix}", openapi_extra=doc)
    def update(
        number: str, actor: Caller, _: Prefix, raw: bytes = RawBody, db: Session = DbSession
    ) -> Response:
        """Changes a lead: the elements given, then its step."""
        lead = leads.by_number(db, actor, number)
        headers: dict[str, str] = {}
        body = _body(raw, headers)
        leads.change(db, actor, lead, body)
        return xml_response(_document(representation.lead_view(db, actor, lead)), headers=headers)

    @router.delete(prefix + "/leads/{number}.xml", name=f"delete{prefix}", openapi_extra=doc)
    def delete(number: str, actor: Caller, _: Prefix, db: Session = DbSession) -> Response:
        """Deletes a lead; answers with the lead as it was."""
        lead = leads.by_number(db, actor, number)
        shown = _document(representation.lead_view(db, actor, lead))
        domain_leads.delete(db, actor, lead)
        return xml_response(shown)


_routes("")
_routes("/{business_file_id}")
_LEAD_ROUTES = [route for route in router.routes if isinstance(route, APIRoute)]


@router.api_route(
    "/{path:path}.xml",
    methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"],
    include_in_schema=False,
)
def unknown(request: Request) -> Response:
    """Answers any other ``.xml`` address in this face's format: 405 or 404."""
    path = route_path(request.scope)
    if any(route.path_regex.match(path) for route in _LEAD_ROUTES):
        raise MethodNotAllowed(f"{request.method} is not allowed on {path}")
    raise NotFound(f"There is no XML resource at {path}")
