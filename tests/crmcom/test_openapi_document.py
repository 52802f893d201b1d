"""The OpenAPI document describes the CRM.COM methods as they behave: a valid document, each
body's parameters the ones the method takes, the seeds' examples fitting their schemas,
answers fitting the envelope's."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from leadbook.crmcom import methods, serialize
from tests.crmcom.conftest import API, ok, refused
from tests.crmcom.test_create import BASE

pytestmark = pytest.mark.once

PREFIX = "/crmapi/rest/{version}/"
POSTS = sorted(set(methods.METHODS) - methods.GETS)


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


def _operation(document: dict, method: str) -> dict:
    verb = "get" if method in methods.GETS else "post"
    return document["paths"][PREFIX + method][verb]


def _fits(instance, schema: dict) -> None:
    errors = [e.message for e in OAS31Validator(schema).iter_errors(instance)]
    assert errors == [], errors[:3]


def test_the_whole_document_is_valid(document):
    crmcom = [p for p in document["paths"] if p.startswith("/crmapi/")]
    assert len(crmcom) == len(methods.METHODS) == 18
    validate(document)


@pytest.mark.parametrize("method", POSTS)
def test_each_body_declares_the_parameters_the_method_takes(document, method):
    schema = _operation(document, method)["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == methods.keys(method)
    assert schema["additionalProperties"] is False


def test_each_get_declares_the_parameters_the_method_takes(document):
    for method in methods.GETS:
        declared = {p["name"] for p in _operation(document, method)["parameters"]}
        assert declared - {"version"} == methods.keys(method), method


def test_the_seeds_examples_fit_their_body_schemas(document):
    seen = 0
    for method in POSTS:
        content = _operation(document, method)["requestBody"]["content"]["application/json"]
        for example in content.get("examples", {}).values():
            _fits(example["value"], content["schema"])
            seen += 1
    assert seen == 7


def test_a_lead_fits_the_answer_schema_and_has_every_field(client, api, document):
    answer = client.get(
        f"{API}/leads/show", params={"token": api.token, "lead_identifier": "number=19"}
    )
    schema = _operation(document, "leads/show")["responses"]["200"]["content"]
    _fits(answer.json(), schema["application/json"]["schema"])
    assert list(answer.json()["data"]) == list(serialize.FIELDS)
    listed = client.get(f"{API}/leads/get_in_progress", params={"token": api.token})
    _fits(
        listed.json(),
        _operation(document, "leads/get_in_progress")["responses"]["200"]["content"][
            "application/json"
        ]["schema"],
    )


def test_a_refusal_fits_the_refusal_schema(client, document):
    answer = client.get(f"{API}/leads/show", params={"token": "nope"})
    _fits(
        answer.json(),
        _operation(document, "leads/show")["responses"]["4XX"]["content"]["application/json"][
            "schema"
        ],
    )


def test_an_unknown_field_in_fields_set_is_refused_with_the_valid_names(api):
    message = refused(
        api.get("show", lead_identifier="number=19", fields_set="number,colour"),
        "INVALID_VALUE",
        422,
    )
    assert message.startswith(
        "Unknown field(s) in fields_set: colour; lead_complete has: id, number,"
    )


def test_an_update_with_an_unknown_fields_set_name_changes_nothing(api):
    lead = ok(api.post("create", BASE, description="kept"))
    ident = {"number": lead["number"]}
    answer = api.post(
        "update", {"lead_identifier": ident, "description": "new", "fields_set": "descr"}
    )
    refused(answer, "INVALID_VALUE", 422)
    assert ok(api.get("show", lead_identifier=f"number={lead['number']}"))["description"] == "kept"
