"""End to end in Debian's chromium: log in, read the board, open a lead, see the dashboard."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from leadbook.app import create_app

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(settings):
    """The real app served by uvicorn on a free local port, against the test database."""
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture
def page(server):
    """A chromium page; skipped where chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=server)
        yield page
        browser.close()


def test_log_in_read_the_board_open_a_lead_and_see_the_dashboard(page, make_lead, past, password):
    make_lead(
        "PENDING",
        topic="Fibre for Acme",
        target_amount=1200,
        priority=1,
        probability_to_win=50,
        contact_email="buyer@acme.test",
        expected_completion_date=past,
    )
    make_lead("IN_PROGRESS", topic="Mobile fleet", target_amount=800, probability_to_win=25)
    make_lead("WON", topic="Signed deal", target_amount=5000)
    make_lead("LOST", topic="Gone deal")

    page.goto("/")
    assert page.url.endswith("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".error").inner_text() == "Invalid username or password"
    page.screenshot(path=ARTIFACTS / "web-login-refused.png")

    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")
    reach = page.locator('[data-status="Reach"]')
    assert "Fibre for Acme" in reach.inner_text()
    assert reach.locator(".badge.overdue").count() == 1
    assert "Signed deal" in page.locator('[data-status="Won"]').inner_text()
    page.screenshot(path=ARTIFACTS / "web-board.png", full_page=True)

    page.click("text=#1 Fibre for Acme")
    page.wait_for_url("**/web/leads/1")
    assert "buyer@acme.test" in page.locator(".fields").inner_text()
    page.screenshot(path=ARTIFACTS / "web-lead.png", full_page=True)

    page.click("nav >> text=Dashboard")
    assert page.locator("#win-rate").inner_text() == "50%"
    assert page.locator("#weighted").inner_text() == "800.00"
    page.screenshot(path=ARTIFACTS / "web-dashboard.png", full_page=True)

    page.click("nav >> text=Leads")
    page.select_option("select[name=state]", "IN_PROGRESS")
    page.click("text=Filter")
    assert page.locator("table.leads tbody tr").count() == 1
    assert "Mobile fleet" in page.locator("table.leads").inner_text()
    page.screenshot(path=ARTIFACTS / "web-leads-filtered.png", full_page=True)

    page.click("text=Log out")
    page.wait_for_url("**/web/login")
    page.goto("/web/board")
    assert page.url.endswith("/web/login")


def test_create_move_across_the_board_win_and_see_the_dashboard(page, reference, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")
    assert page.locator("#win-rate").count() == 0

    page.click("nav >> text=New lead")
    page.fill("input[name=topic]", "Wind farm")
    page.fill("input[name=priority]", "9")
    page.fill("input[name=last_name]", "Tesla")
    page.fill("input[name=target_amount]", "2000")
    page.fill("input[name=probability_to_win]", "50")
    page.select_option("select[name=source_type]", "WEBSITE")
    page.fill("input[name=source_name]", "site")
    page.click("text=Create lead")
    assert "priority must be a whole number from 1 to 6" in page.locator(".error").inner_text()
    page.screenshot(path=ARTIFACTS / "web-form-refused.png", full_page=True)
    page.fill("input[name=priority]", "2")
    page.click("text=Create lead")
    page.wait_for_url("**/web/leads/*")
    assert "Wind farm" in page.locator("h1").inner_text()

    page.click("nav >> text=Board")
    card = page.locator(".lead-card", has_text="Wind farm")
    assert "Reach" in page.locator('[data-status="Reach"]').inner_text()
    card.locator("button", has_text="Start").click()
    page.wait_for_url("**/web/board**")
    assert "Wind farm" in page.locator('[data-status="Learn"]').inner_text()
    page.screenshot(path=ARTIFACTS / "web-board-moved.png", full_page=True)

    page.click("nav >> text=Dashboard")
    assert page.locator("#weighted").inner_text() == "1,000.00"
    page.click("nav >> text=Board")
    page.locator(".lead-card", has_text="Wind farm").locator("button", has_text="Win").click()
    page.wait_for_url("**/web/board**")
    assert "Wind farm" in page.locator('[data-status="Won"]').inner_text()
    page.click("nav >> text=Dashboard")
    assert page.locator("#win-rate").inner_text() == "100%"
    assert page.locator("#weighted").inner_text() == "0.00"
    page.screenshot(path=ARTIFACTS / "web-dashboard-after-win.png", full_page=True)
