"""End to end in Debian's chromium: an administrator opens the admin area from the nav,
creates a user (a refusal first, shown next to its field), then a web API key for that
user, and the key's secret logs in to the CRM.COM API, whose token reads a lead."""

from __future__ import annotations

import base64

import pytest

from tests.web.conftest import ARTIFACTS

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.once]
API = "/crmapi/rest/v2"


def test_create_a_user_and_a_key_then_use_the_key(page, make_lead, password):
    make_lead("PENDING", topic="Fibre for Acme")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")

    page.click("nav >> text=Admin")
    page.wait_for_url("**/web/admin")
    page.click("main >> text=Users")
    page.fill("input[name=username]", "maria")
    page.select_option("select[name=role]", label="Administrator")
    page.click("text=Create user")
    assert "taken" in page.locator("#username-error").inner_text()
    assert page.get_attribute("input[name=username]", "aria-invalid") == "true"

    page.fill("input[name=username]", "nikos")
    page.fill("input[name=person_name]", "Nikos Integrator")
    page.select_option("select[name=role]", label="Administrator")
    page.fill("input[name=password]", "a long passphrase")
    page.click("text=Create user")
    page.wait_for_url("**/web/admin/users/*")
    assert page.locator("h1").inner_text().startswith("nikos")
    page.screenshot(path=ARTIFACTS / "web-admin-user.png", full_page=True)

    page.goto("/web/admin/api-keys")
    page.fill("input[name=user]", "nikos")
    page.fill("input[name=label]", "shop")
    page.click("text=Create key")
    secret = page.locator("#secret").inner_text()
    assert len(secret) == 40
    page.screenshot(path=ARTIFACTS / "web-admin-key.png", full_page=True)
    page.goto("/web/admin/api-keys")
    assert secret not in page.content() and "shop" in page.locator("table").inner_text()

    basic = base64.b64encode(f"{secret}:".encode()).decode()
    login = page.request.post(
        f"{API}/authentication/web_api_key/token", headers={"Authorization": f"Basic {basic}"}
    )
    token = login.json()["data"]["token"]
    shown = page.request.get(
        f"{API}/leads/show", params={"token": token, "lead_identifier": "number=1"}
    )
    assert shown.json()["status"]["code"] == "OK" and shown.json()["data"]["number"] == "1"
    assert errors == []
