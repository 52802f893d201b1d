"""In chromium, on a desktop and a phone (tapped there): ticking rows of the lead list and
moving them in bulk (a plain form post: refused leads reported, the others moved), "select
all on this page" ticking every row, exporting and deleting the rows ticked (deleting asks
first), and editing a priority, an amount and a date in place (htmx swaps the cell into a
form and the row back; a bad value or a stale version is refused in the cell)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook.models import Lead
from tests.web.conftest import ARTIFACTS
from tests.web.pages import fits, press

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


def _edit(page, number: int, field: str):
    """Opens the inline form of a cell (checking its link fits) and returns the form."""
    press(page.locator(f"#cell-{number}-{field} a"))
    form = page.locator(f"#cell-{number}-{field} form")
    expect(form).to_be_visible()
    fits(form.locator("button[type=submit]"))
    return form


def test_bulk_move_selected_rows_and_edit_a_priority_in_place(
    screen, width, db, make_lead, password
):
    page = screen
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
    press(page.get_by_role("button", name="Save view"))  # the list through its new view
    expect(page.locator(".saved-views a", has_text="Open ones")).to_have_attribute(
        "aria-current", "true"
    )
    page.goto("/web/leads")
    press(page.locator("#select-page"))  # ticks every row (leadlist.js)...
    assert page.locator('input[name="numbers"]:checked').count() == 3
    press(page.locator("input[aria-label='Select lead 2']"))  # ...and unticking a row unticks it
    assert not page.is_checked("#select-page")
    press(page.locator("#bulk-form button[value=start_progress]"))
    report = page.locator(".bulk-report")
    expect(report).to_contain_text("1 lead started; 1 refused:")
    expect(report).to_contain_text("#3: Lead 3 is Won; only Pending leads can be started")
    fits(report, target=False)
    rows = page.locator("table.leads tbody")
    expect(rows.locator("#lead-1")).to_contain_text("IN_PROGRESS")
    expect(rows.locator("#lead-2")).to_contain_text("PENDING")
    page.screenshot(path=ARTIFACTS / f"web-leads-bulk-{width}.png", full_page=True)

    shown = page.url  # the list as the bulk post rendered it
    form = _edit(page, 2, "priority")
    columns = page.locator("table.leads thead th").count()
    assert page.locator("#lead-2 > td").count() == columns  # the cell alone was swapped
    form.locator("select[name=priority]").select_option("1")
    with page.expect_request("**/web/leads/2/cell/priority") as sent:
        press(form.locator("button[type=submit]"))
    assert sent.value.headers["hx-request"] == "true"
    expect(page.locator("#cell-2-priority")).to_have_text("1 edit priority of lead 2")
    expect(page.locator("#cell-2-priority form")).to_have_count(0)
    assert page.locator("table.leads tr").count() == 4  # the header and the three rows
    assert page.locator("#lead-2 > td").count() == columns
    assert page.url == shown  # the row was swapped, no page load

    # an amount the form cannot read: refused in the cell, beside the input
    form = _edit(page, 1, "target_amount")
    form.locator("input[name=target_amount]").fill("lots")
    press(form.locator("button[type=submit]"))
    message = page.locator("#cell-1-target_amount-error")
    expect(message).to_contain_text("Amount must be a number, not 'lots'")
    fits(message, target=False)
    page.locator("#cell-1-target_amount input[name=target_amount]").fill("1500")
    press(page.locator("#cell-1-target_amount button[type=submit]"))
    expect(page.locator("#cell-1-target_amount")).to_contain_text("1,500.00")

    # a date saved from a stale row: 409 in the cell, the row as now stored; again, it saves
    form = _edit(page, 2, "expected_completion_date")
    form.locator("input[name=expected_completion_date]").fill("2031-05-06")
    lead = db.scalar(select(Lead).where(Lead.number == 2))
    lead.topic = "Second, changed elsewhere"
    db.commit()
    with page.expect_response("**/web/leads/2/cell/expected_completion_date") as answer:
        press(form.locator("button[type=submit]"))
    assert answer.value.status == 409
    message = page.locator("#cell-2-expected_completion_date-error")
    expect(message).to_contain_text("Lead 2 is at version")
    fits(message, target=False)
    expect(page.locator("#lead-2")).to_contain_text("Second, changed elsewhere")
    page.screenshot(path=ARTIFACTS / f"web-leads-inline-{width}.png", full_page=True)
    press(page.locator("#cell-2-expected_completion_date button[type=submit]"))
    expect(page.locator("#cell-2-expected_completion_date")).to_contain_text("2031-05-06")

    # export the rows ticked, then delete them after the confirmation
    press(page.locator("input[aria-label='Select lead 1']"))
    press(page.locator("input[aria-label='Select lead 2']"))
    with page.expect_download() as download:
        press(page.locator("#bulk-form button[value=export]"))
    exported = download.value.path().read_text()
    assert "First" in exported and "Second, changed elsewhere" in exported
    assert "Closed" not in exported
    press(page.locator("#bulk-form button[value=delete]"))
    expect(page.locator("h1")).to_have_text("Delete 2 leads?")
    press(page.get_by_role("button", name="Delete 2 leads"))
    expect(page.locator(".bulk-report")).to_contain_text("2 leads deleted")
    expect(page.locator("table.leads tbody tr")).to_have_count(1)
    assert errors == []
