"""The OpenAPI document as the faces behave: how each face's operations authenticate
(security schemes), and their refusals in the face's own format instead of FastAPI's
default 422 body. Served with Swagger UI and ReDoc from the package (fastapi-offline):
``/docs`` works without reaching any other site."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from leadbook.faces import Face

SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from authentication/token (or a web API key's token)",
    },
    "token": {"type": "apiKey", "in": "query", "name": "token", "description": "The token"},
    "apikey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "A web API key",
    },
    "basic": {
        "type": "http",
        "scheme": "basic",
        "description": "A username and password; or a token (a web API key at "
        "authentication/web_api_key/token) as the username with an empty password",
    },
}
CODES = "401, 403, 404, 405, 409, 413, 422 or 429"
XML_ERRORS = {
    "type": "object",
    "xml": {"name": "errors"},
    "properties": {
        "error": {"type": "array", "items": {"type": "string"}, "xml": {"name": "error"}}
    },
}
JSON_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string", "description": "The field at fault, if one is"},
            },
        }
    },
}
# a face's prefix → how its operations authenticate, and the shape of its refusals
FACES: dict[str, dict[str, Any]] = {
    "/crmapi": {"security": [{"token": []}, {"bearer": []}], "refusal": None},
    "/leads": {
        "security": [{"basic": []}, {"bearer": []}, {"token": []}],
        "refusal": {"application/xml": {"schema": XML_ERRORS}},
    },
    "/api/admin": {
        "security": [{"bearer": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/admin/webhooks": {
        "security": [{"bearer": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/events": {
        "security": [{"bearer": []}, {"apikey": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/leads": {
        "security": [{"bearer": []}, {"apikey": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/notifications": {
        "security": [{"bearer": []}, {"apikey": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/views": {
        "security": [{"bearer": []}, {"apikey": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/reports": {
        "security": [{"bearer": []}, {"apikey": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/api/": {
        "security": [{"bearer": []}],
        "refusal": {"application/json": {"schema": JSON_ERROR}},
    },
    "/intake": {"security": [], "refusal": {"application/json": {"schema": JSON_ERROR}}},
}
# operations whose own security differs from their face's
OWN_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "/crmapi/rest/{version}/authentication/token": [],
    "/crmapi/rest/{version}/authentication/web_api_key/token": [{"basic": []}],
}


def describe(document: dict[str, Any], faces: list[Face]) -> dict[str, Any]:
    """Adds the security schemes and each face's refusals to ``document``."""
    document.setdefault("components", {})["securitySchemes"] = SCHEMES
    for path, operations in document["paths"].items():
        face = next((f for f in faces if f.owns_path(path) and f.prefix in FACES), None)
        if face is None:
            continue
        spec = FACES[face.prefix]
        for operation in operations.values():
            operation["security"] = OWN_SECURITY.get(path, spec["security"])
            answers = operation.setdefault("responses", {})
            answers.pop("422", None)
            if spec["refusal"]:
                answers["4XX"] = {
                    "description": f"A refusal ({CODES}), in the face's format",
                    "content": spec["refusal"],
                }
            answers.setdefault(
                "503",
                {
                    "description": "Busy: no database connection or lock in time, or the "
                    "rate counters unreachable; Retry-After says when to try again",
                    "content": spec["refusal"] or answers["4XX"]["content"],
                },
            )
    if "#/components/schemas/HTTPValidationError" not in json.dumps(document["paths"]):
        for unused in ("HTTPValidationError", "ValidationError"):
            document["components"]["schemas"].pop(unused, None)
    return document


def install(app: FastAPI, faces: list[Face]) -> None:
    """Makes ``app`` serve the described document (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = describe(document, faces)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
