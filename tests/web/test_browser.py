"""End to end in Debian's chromium: log in, create a lead in the form, move it across the
board (buttons and drag and drop, swapped in place by htmx), win and lose, see the
dashboard change. Screenshots go to tests/artifacts/ (gitignored)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import ARTIFACTS

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


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
    won = page.locator('[data-status="Won"]')  # closed: folded, its totals shown
    assert "Signed deal" not in won.inner_text() and "1 lead · 5,000.00 EUR" in won.inner_text()
    page.screenshot(path=ARTIFACTS / "web-board.png", full_page=True)
    won.locator("a.unfold").click()
    expect(page.locator('[data-status="Won"]')).to_contain_text("Signed deal")

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
    page.get_by_role("button", name="Filter", exact=True).click()
    assert page.locator("table.leads tbody tr").count() == 1
    assert "Mobile fleet" in page.locator("table.leads").inner_text()
    page.screenshot(path=ARTIFACTS / "web-leads-filtered.png", full_page=True)

    page.click("text=Log out")
    page.wait_for_url("**/web/login")
    page.goto("/web/board")
    assert page.url.endswith("/web/login")


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def _kpis(page) -> tuple[str, str]:
    page.click("nav >> text=Dashboard")
    page.wait_for_url("**/web/dashboard")
    return page.locator("#win-rate").inner_text(), page.locator("#weighted").inner_text()


def test_create_move_across_the_board_win_and_see_the_dashboard(page, reference, password):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _log_in(page, password)
    assert _kpis(page) == ("—", "0.00")

    # create: the domain refuses priority 9; the form comes back as typed with its message
    page.click("nav >> text=New lead")
    page.fill("input[name=topic]", "Wind farm")
    page.fill("input[name=priority]", "9")
    page.select_option("select[name=new_contact_type]", "COMPANY")
    page.fill("input[name=company_name]", "Breeze Ltd")
    page.fill("input[name=target_amount]", "2000")
    page.fill("input[name=probability_to_win]", "50")
    page.fill("input[name=estimate_value]", "30")
    page.select_option("select[name=estimate_unit]", "DAYS")
    page.select_option("select[name=source_type]", "WEBSITE")
    page.fill("input[name=source_name]", "site")
    page.click("text=Create lead")
    expect(page.locator("#form-error")).to_contain_text(
        "Priority must be a whole number from 1 to 6"
    )
    assert page.input_value("input[name=company_name]") == "Breeze Ltd"
    page.screenshot(path=ARTIFACTS / "web-form-refused.png", full_page=True)
    page.fill("input[name=priority]", "2")
    page.click("text=Create lead")
    page.wait_for_url(re.compile(r".*/web/leads/\d+$"))
    assert "Wind farm" in page.locator("h1").inner_text()
    fields = page.locator("#fields").inner_text()
    assert "Breeze Ltd" in fields and "30 DAYS" in fields and "WEBSITE site" in fields
    assert "Created" in page.locator("ol.timeline").inner_text()
    # the team: a member added on the detail page, then offered no more
    page.select_option("select[aria-label='Add team member']", label="maria")
    page.click("button:has-text('Add team member')")
    expect(page.locator("#team")).to_contain_text("Maria Sales")
    offered = page.locator("select[aria-label='Add team member'] option", has_text="maria")
    assert offered.count() == 0
    page.screenshot(path=ARTIFACTS / "web-lead-created.png", full_page=True)

    # start progress with the card's button: htmx swaps the board in place
    page.click("nav >> text=Board")
    expect(page.locator('[data-status="Reach"]')).to_contain_text("Wind farm")
    with page.expect_request("**/move?*") as sent:
        card = page.locator(".lead-card", has_text="Wind farm")
        card.locator("button", has_text="Start").click()
    assert sent.value.headers["hx-request"] == "true"
    assert len(sent.value.headers["x-csrf-token"]) == 64  # hx-headers:inherited on <body>
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Wind farm")
    expect(page.locator("#board .notice")).to_contain_text("started")
    assert page.url.endswith("/web/board")  # no page load: the board was swapped
    page.screenshot(path=ARTIFACTS / "web-board-moved.png", full_page=True)
    assert _kpis(page) == ("—", "1,000.00")

    # win by dragging the card onto the Won column
    page.click("nav >> text=Board")
    card = page.locator(".lead-card", has_text="Wind farm")
    card.drag_to(page.locator('[data-status="Won"]'))
    expect(page.locator('[data-status="Won"] .count')).to_have_text("1 lead")  # folded
    expect(page.locator("#board .notice")).to_contain_text("won")
    page.screenshot(path=ARTIFACTS / "web-board-won.png", full_page=True)
    assert _kpis(page) == ("100%", "0.00")
    assert page.locator('[data-state="WON"]').get_attribute("data-count") == "1"
    page.screenshot(path=ARTIFACTS / "web-dashboard-after-win.png", full_page=True)
    assert errors == []


def test_lose_asks_for_a_reason_and_refusals_show_the_domains_message(page, make_lead, password):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_lead("IN_PROGRESS", topic="Shaky deal", target_amount=100, probability_to_win=10)
    make_lead("WON", topic="Done deal")
    _log_in(page, password)

    # dropped on Lost, the card asks for a reason; without one the domain refuses
    page.locator(".lead-card", has_text="Shaky deal").drag_to(page.locator('[data-status="Lost"]'))
    dialog = page.locator("#lost-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("button", has_text="Lose").click()
    expect(page.locator("#board .error")).to_contain_text("Lost reason is mandatory to lose a lead")
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Shaky deal")
    page.screenshot(path=ARTIFACTS / "web-board-refused.png", full_page=True)

    # a card cannot go back to Pending: refused, nothing changes
    page.locator(".lead-card", has_text="Shaky deal").drag_to(page.locator('[data-status="Reach"]'))
    expect(page.locator("#board .error")).to_contain_text("No move leads back to Pending")
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Shaky deal")

    # on the detail page, Lose opens a choice of reason
    page.click("text=#1 Shaky deal")
    page.wait_for_url("**/web/leads/1")
    page.click("summary >> text=Lose…")
    page.select_option("select[name=lost_reason]", label="Timing")
    page.locator("button.move-lose").click()
    page.wait_for_url("**/web/leads/1")
    fields = page.locator("#fields").inner_text()
    assert "Lost (LOST)" in fields and "Timing" in fields
    history = page.locator("ol.timeline").inner_text()
    assert "Lost" in history and "Status: Learn → Lost" in history
    assert page.locator("form.moves").count() == 0  # a lost lead has no moves left
    page.screenshot(path=ARTIFACTS / "web-lead-lost.png", full_page=True)
    assert _kpis(page)[0] == "50%"
    assert errors == []


def test_the_api_docs_render_with_no_other_site_reachable(page, server):
    elsewhere = []

    def local_only(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.goto("/docs")
    title = page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("Leadbook", timeout=60_000)  # a loaded machine is slow
    expect(page.locator(".opblock-summary-path", has_text="/leads.xml").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "api-docs.png")
    assert elsewhere == []
