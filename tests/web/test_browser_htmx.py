"""In chromium, on a desktop and a phone (tapped there): what htmx does with the web's
answers — an ended session leads to the login page (not into the board), and the new-lead
form's statuses follow the chosen type; the form's refusal is shown next to its field."""

from __future__ import annotations

import pytest

from leadbook.models import LeadStatus, LeadType
from tests.web.pages import fits, press

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def test_a_board_button_after_the_session_ended_opens_the_login_page(screen, make_lead, password):
    page = screen
    make_lead("PENDING", topic="Late move")
    _log_in(page, password)
    page.context.clear_cookies()  # the session ends (expired, or logged out elsewhere)
    press(page.locator("#lead-1 button:has-text('Start')"))
    page.wait_for_url("**/web/login")
    assert page.locator("#board").count() == 0
    assert page.locator("input[name=password]").count() == 1


def test_the_form_statuses_follow_the_chosen_type_and_a_refusal_is_beside_its_field(
    screen, db, reference, password
):
    page = screen
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

    page.fill("input[name=topic]", "Helpdesk")
    page.fill("input[name=priority]", "9")
    page.fill("input[name=last_name]", "Doe")
    press(page.get_by_role("button", name="Create lead"))
    message = page.locator("#priority-error")
    expect(message).to_have_text("Priority must be a whole number from 1 to 6, not 9")
    fits(message, target=False)
    priority = page.locator("input[name=priority]")
    expect(priority).to_have_attribute("aria-invalid", "true")
    assert "priority-error" in priority.get_attribute("aria-describedby")
    fits(priority)
    assert page.input_value("input[name=topic]") == "Helpdesk"  # as typed
    priority.fill("2")
    press(page.get_by_role("button", name="Create lead"))
    page.wait_for_url("**/web/leads/1")
    expect(page.locator("h1")).to_contain_text("Helpdesk")
