"""A token lives only as long as the trust it was issued under: a new password or a
deactivation revokes it; expired and revoked tokens are deleted at the user's next login."""

from datetime import timedelta

from sqlalchemy import select

from leadbook.auth.tokens import token_hash
from leadbook.domain import clock
from leadbook.models import AccessToken
from tests.crmcom.conftest import API, SEED_TOKEN, ok, refused

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}


def _login(client, username: str, password: str) -> str:
    body = {"username": username, "password": password, "organisation": "LEADBOOK"}
    return ok(client.post(f"{API}/authentication/token", json=body))["token"]


def _works(client, token: str) -> int:
    params = {"token": token, "lead_identifier": "number=19"}
    return client.get(f"{API}/leads/show", params=params).status_code


def _put_user(client, **row) -> None:
    answer = client.put("/api/admin/users", json=[row], headers=ADMIN)
    assert answer.status_code == 200, answer.text


def test_a_new_password_revokes_the_users_tokens(client, demo):
    _put_user(client, username="mariosm", password="first password")
    token = _login(client, "mariosm", "first password")
    assert _works(client, token) == 200
    _put_user(client, username="mariosm", password="first password")  # unchanged: kept
    assert _works(client, token) == 200
    _put_user(client, username="mariosm", password="second password")
    refused(
        client.get(f"{API}/leads/show", params={"token": token, "lead_identifier": "number=19"}),
        "INVALID_TOKEN",
        401,
    )
    assert _works(client, _login(client, "mariosm", "second password")) == 200


def test_a_deactivated_users_tokens_stay_revoked_when_reactivated(client, demo):
    _put_user(client, username="mariosm", password="a password")
    token = _login(client, "mariosm", "a password")
    _put_user(client, username="mariosm", is_active=False)
    assert _works(client, token) == 401
    _put_user(client, username="mariosm", is_active=True)
    assert _works(client, token) == 401
    assert _works(client, _login(client, "mariosm", "a password")) == 200


def test_expired_and_revoked_tokens_are_deleted_at_the_next_login(client, demo, db):
    old = _login(client, "mpadministrator", "leadbook-demo")
    released = _login(client, "mpadministrator", "leadbook-demo")
    ok(client.post(f"{API}/authentication/token/release", json={"token": released}))
    clock.freeze(clock.now() + timedelta(hours=3))  # past the 2 hour lifetime
    try:
        fresh = _login(client, "mpadministrator", "leadbook-demo")
    finally:
        clock.freeze(None)
    db.rollback()
    stored = set(db.scalars(select(AccessToken.token_hash)))
    assert token_hash(old) not in stored and token_hash(released) not in stored
    assert token_hash(fresh) in stored and token_hash(SEED_TOKEN) in stored
