"""In chromium: what htmx does with the web's answers — an ended session leads to the
login page (not into the board), and the form's statuses follow the chosen type."""

from __future__ import annotations

import pytest

from leadbook.models import LeadStatus, LeadType

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def test_a_board_button_after_the_session_ended_opens_the_login_page(page, make_lead, password):
    make_lead("PENDING", topic="Late move")
    _log_in(page, password)
    page.context.clear_cookies()  # the session ends (expired, or logged out elsewhere)
    page.click("#lead-1 button:has-text('Start')")
    page.wait_for_url("**/web/login")
    assert page.locator("#board").count() == 0
    assert page.locator("input[name=password]").count() == 1


def test_the_form_statuses_follow_the_chosen_type(page, db, reference, password):
    opened = LeadStatus(name="Open", life_cycle_state="PENDING")
    db.add(LeadType(name="Support", statuses=[opened], create_status=opened))
    db.commit()
    _log_in(page, password)
    page.goto("/web/leads/new")
    status = page.locator("select[name=status] option")
    expect(status).to_have_count(6)  # the blank default and Sales' five
    page.select_option("select[name=type]", label="Support")
    expect(status).to_have_count(2)
    assert status.nth(1).inner_text() == "Open (PENDING)"
