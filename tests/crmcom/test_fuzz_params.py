"""Property: any JSON value for any parameter of any CRM.COM method gets an answer in the
envelope, never a 5xx, and a refused change leaves the lead as it was."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadbook.crmcom import methods
from tests.crmcom.conftest import API, ok
from tests.crmcom.test_create import BASE

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["", "\x00", "\ud800", "2026-02-31", "number=1", "1e309", "WEEKS"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
# every parameter of every method, as the methods define them (token stays valid)
POSTS = {
    method: sorted(methods.keys(method) - ({"token"} if method.startswith("leads/") else set()))
    for method in methods.METHODS
    if method not in methods.GETS
}
GETS = {method: sorted(methods.keys(method) - {"token"}) for method in methods.GETS}
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _answer(response) -> dict:
    assert response.status_code < 500, response.text[:300]
    body = response.json()
    assert set(body) == {"data", "status"} and body["status"]["code"], body
    return body


@pytest.fixture
def lead(api) -> dict:
    return ok(api.post("create", BASE, target_amount=10, description="kept"))


@SETTINGS
@given(data=st.data())
def test_any_value_of_any_body_parameter(client, api, lead, data):
    method = data.draw(st.sampled_from(sorted(POSTS)))
    name = data.draw(st.sampled_from(POSTS[method]))
    body = {"token": api.token, "lead_identifier": {"number": lead["number"]}, **BASE}
    if method != "leads/create":
        body = {k: body[k] for k in ("token", "lead_identifier")}
    if method.startswith("authentication"):
        body = {"username": "mpadministrator", "password": "x", "organisation": "LEADBOOK"}
        body = {"token": "nope"} if method.endswith("release") else body
        body = {} if "web_api_key" in method else body
    body[name] = data.draw(JSON)
    before = ok(api.get("show", lead_identifier=f"number={lead['number']}"))
    answer = _answer(
        client.post(
            f"{API}/{method}",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
    )
    if answer["status"]["code"] != "OK":
        assert ok(api.get("show", lead_identifier=f"number={lead['number']}")) == before


def test_every_method_is_fuzzed():
    assert len(POSTS) + len(GETS) == len(methods.METHODS) == 18
    assert len(GETS) == 9 and all(GETS.values())


@SETTINGS
@given(data=st.data())
def test_any_text_of_any_query_parameter(client, api, data):
    method = data.draw(st.sampled_from(sorted(GETS)))
    name = data.draw(st.sampled_from(GETS[method]))
    value = data.draw(
        st.text(max_size=20)
        | JSON.map(json.dumps)
        | st.sampled_from(["1e300", "number=" + "9" * 40, "name=", "=x", "id=\x00"])
    )
    _answer(client.get(f"{API}/{method}", params={"token": api.token, name: value}))
