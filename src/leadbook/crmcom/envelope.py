"""The CRM.COM envelope: ``{"data": …, "status": {"code", "message", "description"}}``."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response

from leadbook.domain.errors import DomainError


class ORJSONResponse(Response):
    """JSON written by orjson (dates and numbers exactly as the serialiser left them)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:  # a refusal quoting a lone surrogate: escape it
            return json.dumps(content, ensure_ascii=True).encode()


def ok(data: Any) -> ORJSONResponse:
    """Returns a successful answer carrying ``data``."""
    return ORJSONResponse(
        {"data": data, "status": {"code": "OK", "message": "", "description": ""}}
    )


def error(code: str, message: str, description: str = "", http_status: int = 400):
    """Returns a refusal in the same envelope, with ``data`` null."""
    return ORJSONResponse(
        {"data": None, "status": {"code": code, "message": message, "description": description}},
        status_code=http_status,
    )


# the CRM.COM parameter of each domain field an error may name (others keep their name)
PARAMETERS = {
    "type": "type_identifier",
    "status": "status_identifier",
    "category": "category_identifier",
    "lost_reason": "lost_reason_identifier",
    "accounts_receivable": "accounts_receivable_identifier",
    "contact": "contact_information",
    "contact.gender": "contact_information.demographics.gender",
    "source_name": "source.name",
    # the reference a source type needs (domain field ``source.<type>``)
    **{
        f"source.{kind}": f"source.source_{kind}_identifier"
        for kind in (
            "notifications",
            "communications",
            "recommended_by_contact",
            "recommended_by_employee",
            "recommended_by_partner",
        )
    },
    "estimated_completion_time.value": "estimated_completion_time.time_period_value",
}


def render_error(_request: Request, exc: DomainError) -> ORJSONResponse:
    """Renders a domain refusal for a CRM.COM caller, naming fields as CRM.COM parameters."""
    return error(exc.code, exc.worded(PARAMETERS), exc.description, exc.http_status)
