"""The board in chromium, on a desktop and a phone: a move made with the keyboard (a tap on
the phone) keeps the focus on the moved card in its new column, scrolled into sight (issue
19, 8), and a closed column unfolds without JavaScript."""

from __future__ import annotations

import pytest

from leadbook.models import LeadStatus, LeadType
from tests.web.conftest import ARTIFACTS
from tests.web.pages import PHONE, fits, press

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]

FOCUSED_CARD = "() => document.activeElement.closest('.lead-card')?.id"
FOCUSED_COLUMN = "() => document.activeElement.closest('.column')?.dataset.status"


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def test_after_a_move_the_focus_is_on_the_moved_card(screen, width, make_lead, password):
    page = screen
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for n in range(3):
        make_lead("PENDING", topic=f"Deal {n}", target_amount=100, probability_to_win=50)
    _log_in(page, password)
    start = page.locator("#lead-2 button.move-start_progress")
    with page.expect_response("**/web/leads/2/move?*"):
        if width == PHONE:
            press(start)
        else:
            start.focus()
            page.keyboard.press("Enter")
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Deal 1")
    expect(page.locator("#board .notice")).to_contain_text("Lead #2 started")
    assert page.evaluate(FOCUSED_CARD) == "lead-2"
    assert page.evaluate(FOCUSED_COLUMN) == "Learn"
    assert page.url.endswith("/web/board")  # swapped in place
    fits(page.locator("#lead-2"), target=False, scroll=False)  # the focus brought it in sight
    # the header's totals followed the move
    expect(page.locator('[data-status="Learn"] .totals')).to_contain_text("1 lead · 100.00 EUR")
    expect(page.locator('[data-status="Reach"] .totals')).to_contain_text("weighted 100.00 EUR")
    page.screenshot(path=ARTIFACTS / f"web-board-focus-{width}.png")

    # from the keyboard again: Tab goes on from the moved card, not from the page's top
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_CARD) == "lead-2"
    assert errors == []


def test_a_card_is_lost_from_its_one_menu_and_the_closed_column_unfolds(
    screen, make_lead, password
):
    page = screen
    make_lead("IN_PROGRESS", topic="Shaky")
    _log_in(page, password)
    card = page.locator("#lead-1")
    assert card.locator("form").count() == 1  # one move menu per card
    press(card.locator("summary"))
    fits(card.locator("select[name=lost_reason]"))
    card.locator("select[name=lost_reason]").select_option(label="Price")
    press(card.locator("button.move-lose"))
    expect(page.locator('[data-status="Lost"] .count')).to_have_text("1 lead")
    assert page.locator("#lead-1").count() == 0  # the Lost column is folded
    press(page.locator('[data-status="Lost"] a.unfold'))
    expect(page.locator('[data-status="Lost"]')).to_contain_text("Shaky")


@pytest.mark.parametrize("path", ["/web/board", "/web/dashboard"])
def test_choosing_a_lead_type_shows_it_at_once(screen, db, make_lead, password, path):
    page = screen
    make_lead("PENDING", topic="Deal")
    opened = LeadStatus(name="Open", life_cycle_state="PENDING")
    db.add(LeadType(name="Support", statuses=[opened], create_status=opened))
    db.commit()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _log_in(page, password)
    page.goto(path)
    choice = page.locator("select[name=type]")
    other = choice.locator("option:not([selected])").last
    value = other.get_attribute("value")
    with page.expect_navigation():
        choice.select_option(value)
    assert f"type={value}" in page.url  # sent by the change alone (no inline handler: CSP)
    assert page.locator("select[name=type]").input_value() == value
    assert errors == []
