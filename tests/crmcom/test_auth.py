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
