"""The OpenAPI description of each CRM.COM method, made from its parameters (``methods``):
the request body's schema with the seeds' examples, and the envelope it answers with."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from leadbook.crmcom import call, methods, shapes, wire

SEEDS = Path(__file__).with_name("seed_requests")
# the seeds' request bodies, by the method they call
SEED_BODIES = {
    "leads/create": ("create_ex1.json", "create_ex2.json"),
    "leads/update": ("update_69.json",),
    "leads/start_progress": ("start_progress_40.json",),
    "leads/cancel": ("cancel_5.json",),
    "leads/win": ("win_41.json",),
    "leads/lost": ("lost_44.json",),
}
TOKEN_DATA = shapes.obj({"token": {"type": "string"}}, "token")
REFUSAL = shapes.envelope({"type": "null"})


@cache
def examples(method: str) -> dict[str, dict[str, Any]]:
    """Returns the seeds' request bodies for ``method``, as OpenAPI examples."""
    return {
        name.removesuffix(".json"): {
            "summary": f"The seed's example ({name})",
            "value": wire.parse_body((SEEDS / name).read_bytes()),
        }
        for name in SEED_BODIES.get(method, ())
    }


def _doc(param: methods.Param) -> str:
    return f"{param.type}, {param.rule}. {param.doc}".strip()


def _property(param: methods.Param, seen: dict[str, Any]) -> dict[str, Any]:
    schema = {**param.schema, "description": _doc(param)}
    if param.name in seen:
        schema["examples"] = [seen[param.name]]
    return schema


def request_body(method: str, *, required: bool = True) -> dict[str, Any]:
    """Returns the OpenAPI requestBody of a POST ``method``."""
    params = methods.METHODS[method]
    given = [example["value"] for example in examples(method).values()]
    seen = {key: value for body in reversed(given) for key, value in body.items()}
    schema = {
        "type": "object",
        "properties": {param.name: _property(param, seen) for param in params},
        "required": [param.name for param in params if param.required],
        "additionalProperties": False,
    }
    content: dict[str, Any] = {"schema": schema}
    if given:
        content["examples"] = examples(method)
    return {"required": required, "content": {"application/json": content}}


def _answers(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {
            "description": "The answer, in the CRM.COM envelope",
            "content": {"application/json": {"schema": shapes.envelope(data)}},
        },
        "4XX": {
            "description": "A refusal: status.code names it, status.message says why",
            "content": {"application/json": {"schema": REFUSAL}},
        },
    }


def _data(method: str) -> dict[str, Any]:
    if method.startswith("authentication/"):
        return {"type": "null"} if method.endswith("release") else TOKEN_DATA
    if method in ("leads/show",) or method not in methods.GETS:
        return shapes.LEAD_COMPLETE
    return {"type": "array", "items": shapes.LEAD_COMPLETE}


def post(method: str, *, required: bool = True) -> dict[str, Any]:
    """Returns the ``openapi_extra`` of a POST ``method``: its body and its answers."""
    return {
        "requestBody": request_body(method, required=required),
        "responses": _answers(_data(method)),
    }


def _query(param: methods.Param) -> dict[str, Any]:
    doc = _doc(param)
    schema = {"type": "string", "description": doc}
    return {"name": param.name, "in": "query", "schema": schema, "description": doc}


def get(method: str) -> dict[str, Any]:
    """Returns the ``openapi_extra`` of a GET ``method``: its parameters (each a string,
    read as given: ``call.Asked``) and its answers."""
    version = {"type": "string", "description": call.VERSION}
    path = {"name": "version", "in": "path", "required": True, "schema": version}
    return {
        "parameters": [path, *map(_query, methods.METHODS[method])],
        "responses": _answers(_data(method)),
    }
