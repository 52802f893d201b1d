"""XML responses, including every DomainError written back as an ``<errors>`` body."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from leadbook.domain.errors import AuthenticationFailed, DomainError, LeadMerged
from leadbook.xmlapi.document import render_errors, render_object

MEDIA_TYPE = "application/xml; charset=utf-8"
REALM = "Leadbook"
# the <lead> element of each domain field an error may name (others keep their name)
ELEMENTS = {
    "topic": "<topic>",
    "description": "<description>",
    "target_amount": "<value>",
    "probability_to_win": "<confidence_pct>",
    "expected_completion_date": "<value_date>",
    "project_ref": "<project_id>",
    "category": "<product_category_id>",
    "assigned_user": "<manager_id>",
    "importance": "<importance>",
    "contact": "<client_name>",
    "lost_reason": "<lost_reason>",
    "learning_on_customer": "<learning_on_customer>",
    "learning_on_sales_tools": "<learning_on_sales_tools>",
    "learning_on_products": "<learning_on_products>",
}


def xml_response(body: bytes, status_code: int = 200, headers: dict | None = None) -> Response:
    """Returns ``body`` as an XML response."""
    return Response(body, status_code=status_code, media_type=MEDIA_TYPE, headers=headers)


def render_error(request: Request, exc: DomainError) -> Response:
    """Returns ``exc`` as a Rails-style ``<errors><error>…</error></errors>`` response,
    naming fields by their ``<lead>`` elements; a GET of a merged lead is a 303 to its
    survivor, with ``<lead><id>…</id><merged_into>…</merged_into></lead>``."""
    if isinstance(exc, LeadMerged) and request.method in ("GET", "HEAD"):
        where = request.url.path.rpartition("/")[0] + f"/{exc.survivor}.xml"
        body = render_object("lead", [("id", str(exc.number)), ("merged_into", str(exc.survivor))])
        return xml_response(body, 303, {"Location": where})
    headers = {"X-Error-Code": exc.code}
    if isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    messages = [exc.worded(ELEMENTS)] + ([exc.description] if exc.description else [])
    return xml_response(render_errors(messages), exc.http_status, headers)
