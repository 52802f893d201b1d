"""Login, tokens and their expiry."""

from datetime import timedelta

import pytest

from leadbook.auth import tokens
from leadbook.domain import clock
from leadbook.domain.errors import AuthenticationFailed
from leadbook.models import User
from tests.crmcom.conftest import API, ok, refused

LOGIN = {"username": "mpadministrator", "password": "leadbook-demo", "organisation": "LEADBOOK"}


def test_login_returns_a_token_that_works(client, demo):
    token = ok(client.post(f"{API}/authentication/token", json=LOGIN))["token"]
    assert len(token) >= 32
    ok(client.get(f"{API}/leads/show", params={"token": token, "lead_identifier": "number=19"}))


def test_login_with_the_unit_named(client, demo):
    token = ok(client.post(f"{API}/authentication/token", json={**LOGIN, "unit": "1"}))["token"]
    lead = ok(
        client.post(
            f"{API}/leads/start_progress",
            json={"token": token, "lead_identifier": {"number": "40"}},
        )
    )
    assert lead["log_information"]["updated_by_unit"]["name"] == "Admin Unit"


def test_wrong_password_organisation_or_missing_fields(client, demo):
    url = f"{API}/authentication/token"
    refused(client.post(url, json={**LOGIN, "password": "nope"}), "INVALID_TOKEN", 401)
    refused(client.post(url, json={**LOGIN, "organisation": "OTHER"}), "INVALID_TOKEN", 401)
    refused(client.post(url, json={"username": "mpadministrator"}), "MANDATORY_PARAMETER_MISSING")


def test_methods_need_a_live_token(client, demo):
    url = f"{API}/leads/show"
    refused(client.get(url, params={"lead_identifier": "number=19"}), "INVALID_TOKEN", 401)
    refused(
        client.get(url, params={"token": "F" * 32, "lead_identifier": "number=19"}), "INVALID_TOKEN"
    )


def test_a_released_token_stops_working(client, token):
    ok(client.post(f"{API}/authentication/token/release", json={"token": token}))
    answer = client.get(
        f"{API}/leads/show", params={"token": token, "lead_identifier": "number=19"}
    )
    refused(answer, "INVALID_TOKEN", 401)


def test_tokens_expire(db, demo):
    user = db.query(User).filter_by(username="mpadministrator").one()
    token = tokens.issue(db, user, ttl_seconds=60)
    tokens.resolve(db, token)
    clock.freeze(clock.now() + timedelta(seconds=61))
    try:
        with pytest.raises(AuthenticationFailed, match="expired"):
            tokens.resolve(db, token)
    finally:
        clock.freeze(None)


def _basic(key: str, password: str = "") -> dict:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{password}".encode()).decode()}


@pytest.fixture
def api_key(db, demo):
    user = db.query(User).filter_by(username="mpadministrator").one()
    key = tokens.issue_api_key(db, user, label="shop")
    db.commit()
    return key


def test_a_web_api_key_logs_in_as_its_user(client, api_key):
    url = f"{API}/authentication/web_api_key/token"
    token = ok(client.post(url, headers=_basic(api_key)))["token"]
    lead = ok(
        client.post(
            f"{API}/leads/start_progress",
            json={"token": token, "lead_identifier": {"number": "40"}},
        )
    )
    assert lead["log_information"]["updated_by_user"]["username"] == "mpadministrator"
    in_unit = ok(client.post(url, headers=_basic(api_key), json={"unit": "1"}))["token"]
    assert in_unit != token


def test_web_api_key_logins_that_are_refused(client, api_key, db):
    url = f"{API}/authentication/web_api_key/token"
    refused(client.post(url), "INVALID_TOKEN", 401)
    refused(client.post(url, headers=_basic("NOT-A-KEY")), "INVALID_TOKEN", 401)
    refused(client.post(url, headers=_basic(api_key, "secret")), "INVALID_TOKEN", 401)
    refused(client.post(url, headers=_basic(api_key), json={"colour": "red"}), "INVALID_VALUE")
    tokens.revoke_api_key(db, api_key)
    db.commit()
    refused(client.post(url, headers=_basic(api_key)), "INVALID_TOKEN", 401)


def test_a_web_api_key_token_expires_like_a_login_token(client, api_key):
    token = ok(client.post(f"{API}/authentication/web_api_key/token", headers=_basic(api_key)))[
        "token"
    ]
    clock.freeze(clock.now() + timedelta(hours=2, seconds=1))
    try:
        answer = client.get(
            f"{API}/leads/show", params={"token": token, "lead_identifier": "number=19"}
        )
    finally:
        clock.freeze(None)
    refused(answer, "INVALID_TOKEN", 401)
