"""A login names a unit the user belongs to (an administrator any unit); another unit is
refused INVALID_VALUE and changes nothing."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from leadbook.auth import tokens
from leadbook.auth.passwords import hash_password
from leadbook.domain import clock
from leadbook.models import AccessToken, Unit, User
from tests.crmcom.conftest import API, ok, refused

LOGIN = f"{API}/authentication/token"
KEY_LOGIN = f"{API}/authentication/web_api_key/token"


@pytest.fixture
def sam(db, demo) -> User:
    """A sales user of Sales Unit with a password, an expired token and a web API key."""
    unit = db.scalar(select(Unit).where(Unit.name == "Sales Unit"))
    user = User(username="sam", unit=unit, password_hash=hash_password("sam-secret"))
    db.add(user)
    db.flush()
    tokens.issue(db, user, ttl_seconds=60)
    db.commit()
    return user


def _tokens(db, user: User) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.user == user))


def _unit_of(client, token: str) -> str:
    body = {"token": token, "lead_identifier": {"number": "40"}, "fields_set": "log_information"}
    lead = ok(client.post(f"{API}/leads/start_progress", json=body))
    return lead["log_information"]["updated_by_unit"]["name"]


def test_a_unit_the_user_does_not_belong_to_is_refused_and_changes_nothing(client, db, sam):
    clock.freeze(clock.now() + timedelta(minutes=5))  # sam's token has expired
    try:
        before = _tokens(db, sam)
        login = {"username": "sam", "password": "sam-secret", "organisation": "LEADBOOK"}
        message = refused(client.post(LOGIN, json={**login, "unit": "1"}), "INVALID_VALUE", 422)
        assert message.startswith("unit:") and "Admin Unit" in message
        assert _tokens(db, sam) == before  # no token issued, the expired one not purged
        own = {**login, "unit": {"name": "Sales Unit"}}
        assert _unit_of(client, ok(client.post(LOGIN, json=own))["token"]) == "Sales Unit"
    finally:
        clock.freeze(None)


def test_a_web_api_key_login_is_held_to_the_same_rule(client, db, sam):
    key = tokens.issue_api_key(db, sam)
    db.commit()
    basic = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}
    before = _tokens(db, sam)
    refused(client.post(KEY_LOGIN, headers=basic, json={"unit": "1"}), "INVALID_VALUE", 422)
    assert _tokens(db, sam) == before
    ok(client.post(KEY_LOGIN, headers=basic, json={"unit": {"name": "Sales Unit"}}))


def test_an_administrator_may_log_in_to_any_unit(client, demo):
    login = {"username": "mpadministrator", "password": "leadbook-demo", "organisation": "LEADBOOK"}
    token = ok(client.post(LOGIN, json={**login, "unit": {"name": "Sales Unit"}}))["token"]
    assert _unit_of(client, token) == "Sales Unit"
