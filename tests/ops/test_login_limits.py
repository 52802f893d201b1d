"""Failed logins are limited per user name and per address, counted in a store every worker
shares (the database, or Redis): real ``leadbook serve`` processes, real connections."""

from __future__ import annotations

import base64
import secrets
import uuid

import httpx
import pytest
import redis

from tests.servers import served

LOGIN = "/crmapi/rest/v2/authentication/token"
LIMITS = {
    "login_failures_per_user": "5 per 5 minutes",
    "login_failures_per_address": "20 per 5 minutes",
}
REDIS = "redis://127.0.0.1:6379/0"


# every call on a connection of its own, so a server's workers share the calls
http = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))


def _login(url: str, username: str, password: str, **headers: str) -> httpx.Response:
    body = {"username": username, "password": password, "organisation": "LEADBOOK"}
    return http.post(url + LOGIN, json=body, headers=headers)


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """One worker, the database store, 5 failures per user and 20 per address."""
    with served(database_url, tmp_path_factory.mktemp("log") / "serve.log", **LIMITS) as s:
        yield s


@pytest.fixture
def redis_prefix():
    """A Redis key prefix of this test's own; its keys are deleted after it."""
    prefix = f"leadbook-test-{uuid.uuid4().hex}"
    yield prefix
    store = redis.Redis.from_url(REDIS)
    for key in store.scan_iter(f"{prefix}*"):
        store.delete(key)


@pytest.mark.parametrize("store", ["database", "redis"])
def test_a_login_flood_is_limited_across_two_workers(
    store, demo, database_url, tmp_path, redis_prefix
):
    shared = {"redis_url": REDIS, "redis_prefix": redis_prefix} if store == "redis" else {}
    with served(database_url, tmp_path / "serve.log", workers=2, **LIMITS, **shared) as s:
        codes = [_login(s.url, "mpadministrator", f"guess-{i}").status_code for i in range(40)]
        right = _login(s.url, "mpadministrator", "leadbook-demo")
    assert codes.count(401) == 5 and codes[:5] == [401] * 5
    assert codes[5:] == [429] * 35
    assert right.status_code == 429 and right.json()["status"]["code"] == "TOO_MANY_REQUESTS"
    assert int(right.headers["retry-after"]) >= 1


def test_a_blocked_user_name_leaves_the_others_alone(server, demo):
    for _ in range(5):
        assert _login(server.url, "mpadministrator", "nope").status_code == 401
    assert _login(server.url, "mpadministrator", "leadbook-demo").status_code == 429
    other = _login(server.url, "cscustomerservice", "leadbook-demo")
    assert other.status_code in (200, 401) and other.json()["status"]["code"] != "TOO_MANY_REQUESTS"


def _basic(username: str, password: str = "") -> dict[str, str]:
    return {
        "Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    }


GUESSES = {
    "bearer": lambda url: http.get(
        url + "/leads.xml", headers={"Authorization": f"Bearer {secrets.token_hex(16)}"}
    ),
    "cookie": lambda url: http.get(
        url + "/web/board", cookies={"leadbook_session": secrets.token_hex(16)}
    ),
    "query token": lambda url: http.get(
        url + "/crmapi/rest/v2/leads/show",
        params={"token": secrets.token_hex(16), "lead_identifier": "number=1"},
    ),
    "basic user name": lambda url: http.get(
        url + "/leads.xml", headers=_basic(secrets.token_hex(4), "pw")
    ),
    "forwarded address": lambda url: _login(
        url, secrets.token_hex(4), "pw", **{"X-Forwarded-For": f"10.0.{secrets.randbelow(250)}.1"}
    ),
}


@pytest.mark.parametrize("kind", GUESSES)
def test_made_up_credentials_are_limited_per_address(server, db, kind):
    """Whatever a client claims to be with each request, its address gets 20 guesses
    (``db``: the committed database, counters included, is emptied after the test)."""
    codes = [GUESSES[kind](server.url).status_code for _ in range(30)]
    assert 429 not in codes[:20] and codes[20:] == [429] * 10


def test_a_live_token_still_works_from_a_blocked_address(server, demo):
    """The address's other users are not locked out: a token is looked up first."""
    for _ in range(20):
        assert GUESSES["bearer"](server.url).status_code == 401
    assert GUESSES["bearer"](server.url).status_code == 429
    bearer = {"Authorization": "Bearer 6B6300203CBC420900E2B585934F682A"}
    assert http.get(server.url + "/leads/19.xml", headers=bearer).status_code == 200


def test_the_request_limit_holds_across_two_workers(demo, database_url, tmp_path):
    """Before, each worker counted its own minute: two workers allowed twice the limit."""
    bearer = {"Authorization": "Bearer 6B6300203CBC420900E2B585934F682A"}
    with served(database_url, tmp_path / "serve.log", workers=2, rate_limit_per_minute="10") as s:
        codes = [http.get(s.url + "/leads/19.xml", headers=bearer).status_code for _ in range(16)]
    assert codes == [200] * 10 + [429] * 6


def test_a_trusted_proxys_forwarded_address_is_the_one_counted(demo, database_url, tmp_path):
    """Behind a proxy the server trusts, each client is the address the proxy forwards."""
    log = tmp_path / "serve.log"
    with served(database_url, log, trusted_proxies="127.0.0.1", **LIMITS) as s:
        many = [
            _login(s.url, secrets.token_hex(4), "pw", **{"X-Forwarded-For": f"10.0.0.{i}"})
            for i in range(25)
        ]
        one = [
            _login(s.url, secrets.token_hex(4), "pw", **{"X-Forwarded-For": "10.0.1.1"})
            for _ in range(25)
        ]
    assert [r.status_code for r in many] == [401] * 25  # 25 clients, one guess each
    assert [r.status_code for r in one] == [401] * 20 + [429] * 5
