"""End to end in Debian's chromium, on a desktop and a phone (tapped there, the navigation
folded in its menu): an administrator opens the admin area from the nav, creates a user (a
refusal first, shown next to its field), then a web API key for that user, and the key's
secret (shown whole on the screen) logs in to the CRM.COM API, whose token reads a lead."""

from __future__ import annotations

import base64

import pytest

from tests.web.conftest import ARTIFACTS
from tests.web.pages import fits, press

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.once]
API = "/crmapi/rest/v2"


def _nav(page, name: str) -> None:
    """Follows the navigation's link ``name`` (on a phone: in the folded menu)."""
    menu = page.locator(".nav-menu")
    if menu.is_visible():
        press(menu.locator("summary"))
        press(menu.get_by_role("link", name=name))
    else:
        press(page.locator(".top > nav").get_by_role("link", name=name))


def test_create_a_user_and_a_key_then_use_the_key(screen, width, make_lead, password):
    page = screen
    make_lead("PENDING", topic="Fibre for Acme")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")

    _nav(page, "Admin")
    page.wait_for_url("**/web/admin")
    press(page.locator("main").get_by_role("link", name="Users"))
    page.fill("input[name=username]", "maria")
    page.select_option("select[name=role]", label="Administrator")
    press(page.get_by_role("button", name="Create user"))
    assert "taken" in page.locator("#username-error").inner_text()
    fits(page.locator("#username-error"), target=False)
    assert page.get_attribute("input[name=username]", "aria-invalid") == "true"

    page.fill("input[name=username]", "nikos")
    page.fill("input[name=person_name]", "Nikos Integrator")
    page.select_option("select[name=role]", label="Administrator")
    page.fill("input[name=password]", "a long passphrase")
    press(page.get_by_role("button", name="Create user"))
    page.wait_for_url("**/web/admin/users/*")
    assert page.locator("h1").inner_text().startswith("nikos")
    page.screenshot(path=ARTIFACTS / f"web-admin-user-{width}.png", full_page=True)

    page.goto("/web/admin/api-keys")
    page.fill("input[name=user]", "nikos")
    page.fill("input[name=label]", "shop")
    press(page.get_by_role("button", name="Create key"))
    secret = page.locator("#secret").inner_text()
    assert len(secret) == 40
    fits(page.locator("#secret"), target=False)
    page.screenshot(path=ARTIFACTS / f"web-admin-key-{width}.png", full_page=True)
    page.goto("/web/admin/api-keys")
    assert secret not in page.content() and "shop" in page.locator("table").inner_text()
    fits(page.locator("table"), target=False)
    fits(page.get_by_role("button", name="Revoke"))  # the row's action, scrolled to in its box

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
