"""A closed column opened alone in chromium (issue 19): Show swaps in that column only, the
focus on its heading and the address keeping it open; a move and the filters' form then draw
the board again with it still open; Fold closes it the same way."""

from __future__ import annotations

import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]

FOCUSED_HEADING = (
    "() => document.activeElement.closest('.column > h2') && "
    "document.activeElement.closest('.column').dataset.status"
)


def test_won_opened_alone_stays_open_after_a_move(page, make_lead, password, reference):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_lead("WON", topic="Signed deal")
    make_lead("PENDING", topic="Fresh deal")
    won_id = reference["statuses"]["WON"].id
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")
    won = page.locator('[data-status="Won"]')
    with page.expect_response("**/web/board/column?*"):
        won.locator("a.unfold").click()
    expect(won).to_contain_text("Signed deal")
    expect(won.locator("a.fold")).to_have_attribute("aria-expanded", "true")
    assert f"open={won_id}" in page.url  # the address keeps it open
    assert page.evaluate(FOCUSED_HEADING) == "Won"

    with page.expect_response("**/web/leads/2/move?*"):
        page.locator("#lead-2 button.move-start_progress").click()
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Fresh deal")
    expect(won).to_contain_text("Signed deal")  # drawn again, still open

    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    expect(won).to_contain_text("Signed deal")  # the filters' form carried it

    with page.expect_response("**/web/board/column?*"):
        won.locator("a.fold").click()
    expect(won.locator("a.unfold")).to_have_attribute("aria-expanded", "false")
    expect(won).not_to_contain_text("Signed deal")
    assert f"open={won_id}" not in page.url
    assert page.evaluate(FOCUSED_HEADING) == "Won"
    assert errors == []
