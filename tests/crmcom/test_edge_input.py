"""Edge input (issue 11): every /crmapi request answers in the envelope with a 4xx, a value
that cannot be stored exactly is refused, and a refusal changes nothing."""

import json
import time

import pytest

from tests.crmcom.conftest import API, SEED_TOKEN, ok, refused
from tests.crmcom.test_create import BASE

HUGE = "9" * 400


def _envelope(response, http_status: int | None = None) -> dict:
    """Asserts a refusal in the CRM.COM envelope with a 4xx; returns its status."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"data", "status"} and body["data"] is None, body
    assert body["status"]["code"] != "OK" and body["status"]["message"]
    if http_status is not None:
        assert response.status_code == http_status
    return body["status"]


def _json(client, path: str, body: dict):
    """Posts ``body`` as JSON with every non-ASCII character escaped (lone surrogates too)."""
    return client.post(
        path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )


def _raw(client, method: str, raw: bytes):
    return client.post(
        f"{API}/leads/{method}", content=raw, headers={"Content-Type": "application/json"}
    )


@pytest.fixture
def lead(api) -> dict:
    return ok(api.post("create", BASE, target_amount=58, udf_float_1=1.5, description="kept"))


def _unchanged(api, lead: dict) -> None:
    now = ok(api.get("show", lead_identifier=f"number={lead['number']}"))
    for key in ("target_amount", "udf_float_1", "description", "start_date", "log_information"):
        assert now[key] == lead[key], key


# --- 1. the envelope for every request -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/crmapi/rest/v2/leads/nothing", 404),
        ("GET", "/crmapi/nowhere", 404),
        ("GET", "/crmapi/rest/v2/leads/create", 405),
        ("DELETE", "/crmapi/rest/v2/leads/show", 405),
        ("POST", "/crmapi/rest/v3/leads/create", 404),
    ],
)
def test_unknown_paths_and_methods_answer_in_the_envelope(client, method, path, status):
    _envelope(client.request(method, path), status)


def test_null_start_date_counts_as_absent(api):
    lead = ok(api.post("create", BASE, start_date=None))
    assert lead["start_date"]


@pytest.mark.parametrize("token", [123, 1.5, {"a": 1}, ["x"], True])
def test_a_token_of_the_wrong_type_is_refused(client, demo, token):
    for method in ("create", "update", "win"):
        _envelope(client.post(f"{API}/leads/{method}", json={"token": token}))
    _envelope(client.post(f"{API}/authentication/token/release", json={"token": token}))


@pytest.mark.parametrize("depth", [100_000, 2_000, 200])
def test_deeply_nested_bodies_are_refused(client, demo, depth):
    raw = b'{"token": "' + SEED_TOKEN.encode() + b'", "description": ' + b"[" * depth
    _envelope(_raw(client, "create", raw + b"]" * depth + b"}"))
    _envelope(_raw(client, "create", raw))  # never closed


@pytest.mark.parametrize(
    "estimate",
    [
        {"time_period_value": 10**9, "time_period_uot": "YEARS"},
        {"time_period_value": 1e300, "time_period_uot": "DAYS"},
        {"time_period_value": 1e18, "time_period_uot": "MINUTES"},
        {"time_period_value": 10**30, "time_period_uot": "MONTHS"},
    ],
)
def test_huge_periods_are_refused(api, estimate):
    refused(api.post("create", BASE, estimated_completion_time=estimate), "INVALID_VALUE", 422)


@pytest.mark.parametrize("period", ["1e300", "1000000000", "inf", "nan"])
def test_huge_query_periods_are_refused(api, period):
    _envelope(api.get("get_close_to_estimated_completion_time", period=period, uot="YEARS"))


@pytest.mark.parametrize(
    "raw",
    [
        b'"target_amount": ' + HUGE.encode(),
        b'"target_amount": 1e309',
        b'"target_amount": -1e309',
        b'"udf_float_1": Infinity',
        b'"udf_float_1": -Infinity',
        b'"udf_float_1": NaN',
        b'"udf_float_1": 1e308',
        b'"target_amount": 12345678901234567890',
        b'"target_amount": 1.2345678901234567890',
        b'"probability_to_win": 1e-400',
        b'"description": "a\\u0000b"',
        b'"description": "a\\ud800b"',
        b'"contact_email": "\\udfff"',
        b'"udf_string_1": "x\\u0000"',
        b'"start_date": "9999-12-31T23:00:00-05:00"',
        b'"udf_date_1": "0001-01-01T00:00:00+05:00"',
    ],
)
def test_values_that_cannot_be_stored_exactly_are_refused(client, api, lead, raw):
    body = (
        b'{"token": "'
        + api.token.encode()
        + b'", "lead_identifier": {"number": "'
        + lead["number"].encode()
        + b'"}, '
        + raw
        + b"}"
    )
    _envelope(_raw(client, "update", body))
    _unchanged(api, lead)


@pytest.mark.parametrize(
    "contact",
    [
        {"last_name": "a\x00b"},
        {"last_name": "ok", "demographics": {"id_number": "\ud800"}},
        {"type": "COMPANY", "company_name": "C", "company_profile": {"annual_turnover": 1e20}},
        {
            "type": "COMPANY",
            "company_name": "C",
            "company_profile": {"number_of_employees": 10**12},
        },
    ],
)
def test_bad_values_in_a_new_contact_are_refused(client, api, contact):
    new = {**BASE["contact_information"], **contact}
    body = {**BASE, "token": api.token, "contact_information": new}
    _envelope(_json(client, f"{API}/leads/create", body))


def test_a_nul_in_an_identifier_is_refused(api):
    _envelope(api.get("show", lead_identifier="number=1\x00"))
    _envelope(api.get("list", type_identifier="name=a\x00b"))
    _envelope(api.post("create", BASE, type_identifier={"name": "New\x00Customer"}))


# --- 3. null counts as absent for mandatory rules ---------------------------------------


def test_null_expected_date_with_no_estimate_is_refused(api):
    body = {k: v for k, v in BASE.items() if k != "estimated_completion_time"}
    refused(api.post("create", body, expected_completion_date=None), "MANDATORY_PARAMETER_MISSING")
    refused(
        api.post("create", body, expected_completion_date=None, estimated_completion_time=None),
        "MANDATORY_PARAMETER_MISSING",
    )


def test_an_estimate_and_a_null_expected_date_create(api):
    assert ok(api.post("create", BASE, expected_completion_date=None))["expected_completion_date"]


# --- 4. wire types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"contact_email": 123},
        {"description": 1.5},
        {"udf_string_1": True},
        {"importance": 3},
        {"fields_set": 123},
        {"fields_set": {"number": 1}},
        {"fields_set": [1, 2]},
        {"priority": "2.5"},
        {"target_amount": "lots"},
        {"target_amount": True},
        {"start_date": 20260101},
    ],
)
def test_values_of_the_wrong_type_are_refused(api, lead, change):
    _envelope(api.post("update", change, lead_identifier={"number": lead["number"]}))
    _unchanged(api, lead)


@pytest.mark.parametrize(
    "birth",
    [
        {"day": 31, "month": 2, "year": 2001},
        {"day": 29, "month": 2, "year": 2001},
        {"day": 31, "month": 4},
        {"day": 0, "month": 1, "year": 2001},
        {"day": "x", "month": 1},
    ],
)
def test_impossible_birth_dates_are_refused(api, birth):
    new = {**BASE["contact_information"], "demographics": {"date_of_birth": birth}}
    refused(api.post("create", BASE, contact_information=new), "INVALID_VALUE", 422)


def test_a_real_leap_day_is_a_birth_date(api):
    birth = {"day": 29, "month": 2, "year": 2004}
    new = {**BASE["contact_information"], "demographics": {"date_of_birth": birth}}
    lead = ok(api.post("create", BASE, contact_information=new))
    assert lead["contact_information"]["demographics"]["date_of_birth"] == birth


# --- 5. shapes of the seeds ------------------------------------------------------------


def test_numbers_have_one_form_from_create_and_show(api):
    created = ok(api.post("create", BASE, target_amount=58, probability_to_win=58))
    shown = ok(api.get("show", lead_identifier=f"number={created['number']}"))
    for key in ("target_amount", "probability_to_win"):
        assert created[key] == shown[key] == 58
        assert isinstance(created[key], int) and isinstance(shown[key], int)
    half = ok(api.post("create", BASE, target_amount=58.5))
    assert ok(api.get("show", lead_identifier=f"number={half['number']}"))["target_amount"] == 58.5


def test_account_owners_are_financial(api):
    lead = ok(api.get("show", lead_identifier="number=19"))
    owner = lead["accounts_receivable"]["account_owner"]
    assert owner["life_cycle_state"] == "FINANCIAL"


def test_a_company_profile_has_the_seed_fields(api):
    new = {"action": "NEW", "type": "COMPANY", "company_name": "Acme"}
    profile = ok(api.post("create", BASE, contact_information=new))["contact_information"][
        "company_profile"
    ]
    assert {"profile_year", "vat_registered_by"} <= set(profile)


# --- 14. the body parser ----------------------------------------------------------------


def test_a_seed_trailing_comma_is_accepted(client, demo):
    raw = (
        b'{"token": "' + SEED_TOKEN.encode() + b'", "importance": "IMPORTANCE3", "priority": 2,'
        b' "type_identifier": {"name": "New Customer",},'
        b' "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "A, }",},'
        b' "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},'
        b' "source": {"type": "WEBSITE", "name": "x"}, "fields_set": "number",}'
    )
    assert ok(_raw(client, "create", raw))["number"]


@pytest.mark.parametrize(
    "raw",
    [
        b"{" + b'"a": 1, ' * 20_000 + b"'x'}",
        b'{"token": "' + b"x" * 200_000 + b"'",
        b"[" * 50_000 + b"1," * 50_000,
        b"{a: 1, // comment\n b: 'single'}",
    ],
)
def test_bodies_strict_json_refuses_are_answered_fast(client, demo, raw):
    started = time.perf_counter()
    _envelope(_raw(client, "create", raw), 400)
    assert time.perf_counter() - started < 1.0


# --- 15. other paths --------------------------------------------------------------------


@pytest.mark.parametrize("username", ["mp\x00administrator", "\ud800", 12, None])
def test_odd_login_user_names_are_refused(client, demo, username):
    body = {"username": username, "password": "x", "organisation": "LEADBOOK"}
    _envelope(_json(client, f"{API}/authentication/token", body))


@pytest.mark.parametrize("number", [10**30, -(10**30), 2**63, 2**31])
def test_oversized_lead_numbers_in_admin_events_are_refused(client, demo, number):
    answer = client.get(
        f"/api/admin/leads/{number}/events", headers={"Authorization": f"Bearer {SEED_TOKEN}"}
    )
    assert 400 <= answer.status_code < 500 and answer.json()["error"]["code"]


@pytest.mark.parametrize("number", [10**30, "1" * 400, "-5", "1e3"])
def test_oversized_lead_numbers_in_identifiers_are_refused(api, number):
    _envelope(api.get("show", lead_identifier=f"number={number}"))
