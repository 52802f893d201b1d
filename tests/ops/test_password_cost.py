"""Password checks at the production argon2 cost, on a real server: an unknown user takes as
long as a wrong password, HTTP Basic clients pay the full cost once, not per call, and
parallel checks are bounded (memory)."""

from __future__ import annotations

import base64
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from leadbook.models import User
from tests.servers import served

pytestmark = pytest.mark.once

LOGIN = "/crmapi/rest/v2/authentication/token"
PASSWORD = "a production password"


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with served(database_url, log, password_hash_cost="production") as s:
        yield s


@pytest.fixture
def user(db, demo):
    """The demo administrator, with a password hashed at the production cost."""
    admin = db.scalar(select(User).where(User.username == "mpadministrator"))
    admin.password_hash = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(
        PASSWORD
    )
    db.commit()
    return admin.username


def _login_time(url: str, username: str, password: str) -> float:
    body = {"username": username, "password": password, "organisation": "LEADBOOK"}
    began = time.perf_counter()
    assert httpx.post(url + LOGIN, json=body, timeout=60).status_code == 401
    return time.perf_counter() - began


def test_an_unknown_user_takes_as_long_as_a_wrong_password(server, user):
    wrong = min(_login_time(server.url, user, f"wrong {i}") for i in range(3))
    unknown = min(_login_time(server.url, f"nobody{i}", "wrong") for i in range(3))
    assert wrong > 0.05  # the production cost
    assert unknown > 0.4 * wrong, (unknown, wrong)


def test_basic_credentials_are_checked_in_full_once_then_remembered(server, user):
    basic = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Basic {basic}"}) as http:
        began = time.perf_counter()
        assert http.get("/leads.xml").status_code == 200
        first = time.perf_counter() - began
        later = []
        for _ in range(5):
            began = time.perf_counter()
            assert http.get("/leads.xml").status_code == 200
            later.append(time.perf_counter() - began)
        wrong = base64.b64encode(f"{user}:not {PASSWORD}".encode()).decode()
        refused = http.get("/leads.xml", headers={"Authorization": f"Basic {wrong}"})
    assert refused.status_code == 401  # only the right password is remembered
    assert statistics.median(later) < first / 3, (first, later)


def test_parallel_wrong_passwords_are_hashed_two_at_a_time(server, user):
    """Eight HTTP Basic calls with wrong passwords at once (reads: they do not queue on a
    database lock as logins do on SQLite)."""
    before = server.peak_rss_mb()

    def guess(i: int) -> int:
        basic = base64.b64encode(f"{user}:parallel guess {i}".encode()).decode()
        headers = {"Authorization": f"Basic {basic}"}
        return httpx.get(server.url + "/leads.xml", headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(guess, range(8))) == [401] * 8
    # each argon2 check takes 64 MiB: eight at once would add about 500 MB
    assert server.peak_rss_mb() - before < 200, (before, server.peak_rss_mb())
