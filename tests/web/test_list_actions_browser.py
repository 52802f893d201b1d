"""In chromium: ticking rows of the lead list and moving them in bulk (a plain form post:
refused leads reported, the others moved), "select all on this page" ticking every row,
and editing a priority in place (htmx swaps the cell into a form and the row back)."""

from __future__ import annotations

import pytest

from tests.web.conftest import ARTIFACTS

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_bulk_move_selected_rows_and_edit_a_priority_in_place(page, make_lead, password):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_lead("PENDING", topic="First", priority=3)
    make_lead("PENDING", topic="Second", priority=3)
    make_lead("WON", topic="Closed", priority=3)
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")

    page.goto("/web/leads?state=PENDING")
    page.fill("input[name=name]", "Open ones")
    page.click("text=Save view")  # the list through its new view, linked above it
    expect(page.locator(".saved-views a", has_text="Open ones")).to_have_attribute(
        "aria-current", "true"
    )
    page.click("nav >> text=Leads")
    page.check("#select-page")  # ticks every row (leadlist.js)...
    assert page.locator('input[name="numbers"]:checked').count() == 3
    page.uncheck("input[aria-label='Select lead 2']")  # ...and unticking a row unticks it
    assert not page.is_checked("#select-page")
    page.click("#bulk-form button[value=start_progress]")
    report = page.locator(".bulk-report")
    expect(report).to_contain_text("1 lead started; 1 refused:")
    expect(report).to_contain_text("#3: Lead 3 is Won; only Pending leads can be started")
    rows = page.locator("table.leads tbody")
    expect(rows.locator("#lead-1")).to_contain_text("IN_PROGRESS")
    expect(rows.locator("#lead-2")).to_contain_text("PENDING")
    page.screenshot(path=ARTIFACTS / "web-leads-bulk.png", full_page=True)

    shown = page.url  # the list as the bulk post rendered it
    cell = page.locator("#cell-2-priority")
    cell.locator("a").click()  # htmx swaps the cell into a small form
    form = page.locator("#cell-2-priority form")
    expect(form).to_be_visible()
    columns = page.locator("table.leads thead th").count()
    assert page.locator("#lead-2 > td").count() == columns  # the cell alone was swapped
    form.locator("select[name=priority]").select_option("1")
    with page.expect_request("**/web/leads/2/cell/priority") as sent:
        form.locator("button[type=submit]").click()
    assert sent.value.headers["hx-request"] == "true"
    expect(page.locator("#cell-2-priority")).to_have_text("1 edit priority of lead 2")
    expect(page.locator("#cell-2-priority form")).to_have_count(0)
    assert page.locator("table.leads tr").count() == 4  # the header and the three rows
    assert page.locator("#lead-2 > td").count() == columns
    assert page.url == shown  # the row was swapped, no page load
    page.screenshot(path=ARTIFACTS / "web-leads-inline.png", full_page=True)
    assert errors == []
