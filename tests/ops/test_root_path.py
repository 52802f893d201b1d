"""`leadbook serve --root-path /crm` behind a proxy that strips the prefix (what uvicorn
expects: it puts the root path back in front of the path it receives): the web login, the
pages, static files and the APIs' own refusals work through the proxy."""

import re

import httpx
import pytest

from tests.conftest import API
from tests.prefixproxy import prefix_proxy
from tests.servers import served

pytestmark = pytest.mark.once

ROOT = "/crm"
ADDRESS = re.compile(r'\s(?:href|src|action|hx-(?:get|post))="([^"]*)"')


def test_a_web_login_and_a_page_load_through_a_prefix_stripping_proxy(database_url, demo, tmp_path):
    with (
        served(database_url, tmp_path / "s.log", root_path=ROOT) as server,
        prefix_proxy(ROOT, server.url) as proxy,
        httpx.Client(base_url=proxy, timeout=30) as browser,
    ):
        assert browser.get(f"{ROOT}/", follow_redirects=False).headers["location"] == (
            f"{ROOT}/web/board"
        )
        form = browser.get(f"{ROOT}/web/login")
        assert form.status_code == 200
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text).group(1)
        action = re.search(r'<form method="post" action="([^"]+)"', form.text).group(1)
        assert action == f"{ROOT}/web/login"
        login = browser.post(
            action,
            data={"username": "mpadministrator", "password": "leadbook-demo", "csrf": csrf},
            follow_redirects=False,
        )
        assert login.status_code == 303, login.text
        assert browser.get(login.headers["location"]).status_code == 200
        board = browser.get(f"{ROOT}/web/board", params={"owner": "all"})  # the demo's leads
        assert board.status_code == 200 and 'class="board"' in board.text
        shown = ADDRESS.findall(board.text)
        assert shown and all(a.startswith(f"{ROOT}/web/") for a in shown)
        assets = [a for a in shown if "/static/" in a]
        assert assets and all(browser.get(a).status_code == 200 for a in assets)
        lead = next(a for a in shown if re.fullmatch(rf"{ROOT}/web/leads/\d+", a))
        assert browser.get(lead).status_code == 200
        refused = browser.get(f"{ROOT}{API}/leads/show", params={"token": "nope"}).json()
        assert refused["status"]["code"] == "INVALID_TOKEN"
