"""The admin area's web API keys page: a key created for a user (its secret shown once,
never listed), revoked; refusals next to their field; the key logs in to the API."""

from __future__ import annotations

import base64
import re

from leadbook import models as m
from leadbook.auth import tokens

KEYS = "/web/admin/api-keys"
LOGIN = "/crmapi/rest/v2/authentication/web_api_key/token"


def _post(client, csrf_of, path: str, data: dict):
    csrf = csrf_of(client.get(KEYS).text)
    return client.post(path, data={**data, "csrf": csrf}, follow_redirects=False)


def _basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def test_a_key_is_shown_once_listed_without_its_secret_and_logs_in(
    signed_in, db, csrf_of, units, client
):
    answer = _post(signed_in, csrf_of, KEYS, {"user": "maria", "unit": "North", "label": "shop"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    secret = re.search(r'<code id="secret" class="secret">([0-9A-F]+)<', answer.text).group(1)
    row = db.get(m.ApiKey, tokens.token_hash(secret))
    assert row.user.username == "maria" and row.unit.name == "North" and row.label == "shop"
    listed = signed_in.get(KEYS).text
    assert secret not in listed and row.key_hash[:12] in listed and "shop" in listed
    assert client.post(LOGIN, headers=_basic(secret)).json()["data"]["token"]


def test_a_revoked_key_no_longer_logs_in(signed_in, db, csrf_of, reference, client):
    secret = tokens.issue_api_key(db, reference["user"], label="old")
    db.commit()
    key_hash = tokens.token_hash(secret)
    answer = _post(signed_in, csrf_of, f"{KEYS}/{key_hash}/revoke", {})
    assert answer.status_code == 303 and answer.headers["location"] == KEYS
    db.expire_all()
    assert db.get(m.ApiKey, key_hash).revoked_at is not None
    assert client.post(LOGIN, headers=_basic(secret)).status_code == 401
    again = _post(signed_in, csrf_of, f"{KEYS}/{key_hash}/revoke", {})
    assert again.status_code == 409 and "already revoked" in again.text
    assert _post(signed_in, csrf_of, f"{KEYS}/nope/revoke", {}).status_code == 404


def test_refusals_are_shown_next_to_their_field_and_store_nothing(
    signed_in, db, csrf_of, units, beside, password
):
    db.add(m.User(username="sam", role=m.Role.SALES, unit=units[0]))
    db.commit()
    long = _post(signed_in, csrf_of, KEYS, {"user": "maria", "label": "x" * 101})
    assert long.status_code == 422 and "at most 100" in beside(long.text, "label")
    nobody = _post(signed_in, csrf_of, KEYS, {"user": "nobody"})
    assert nobody.status_code == 404 and beside(nobody.text, "user")
    elsewhere = _post(signed_in, csrf_of, KEYS, {"user": "sam", "unit": "South"})
    assert elsewhere.status_code == 422
    assert "does not belong to unit" in beside(elsewhere.text, "unit")
    assert db.query(m.ApiKey).count() == 0


def test_a_post_without_the_csrf_token_changes_nothing(signed_in, db, reference):
    assert signed_in.post(KEYS, data={"user": "maria"}).status_code == 403
    assert db.query(m.ApiKey).count() == 0
