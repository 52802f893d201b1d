"""Phones (issue 19, point 5): the board's columns scroll inside their own strip, the
navigation folds into a menu that opens without JavaScript, and a card moves by touch (to
the next column, or to a closed one far along the strip, whose lost reason dialog fits).
That no page scrolls sideways at 390 or 1440 px is checked where every page is visited
anyway: tests/web/test_screenshots.py."""

from __future__ import annotations

import pytest

from tests.web.pages import fits, press, screen

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]
WIDE = "() => document.documentElement.scrollWidth"


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def test_the_menu_opens_without_javascript_and_the_columns_scroll_in_their_strip(
    open_page, make_lead, password
):
    make_lead("PENDING", topic="Fibre for Acme")
    page = open_page(390, 844, java_script_enabled=False)
    _log_in(page, password)
    menu = page.locator(".nav-menu")
    assert page.locator(".top > nav").is_hidden()
    assert menu.get_by_role("link", name="Leads").is_hidden()
    menu.locator("summary").click()
    menu.get_by_role("link", name="Leads").click()
    page.wait_for_url("**/web/leads")
    page.goto("/web/board")
    strip = page.evaluate(
        "() => { const b = document.querySelector('.board');"
        " return [b.scrollWidth, b.clientWidth]; }"
    )
    assert strip[0] > strip[1] and page.evaluate(WIDE) <= 390
    wide = open_page(1440, 900)
    _log_in(wide, password)
    assert wide.locator(".top > nav").get_by_role("link", name="Leads").is_visible()
    assert wide.locator(".nav-menu").is_hidden()


def _touch(cdp, kind: str, x: float, y: float) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_card_moves_to_another_column_by_touch(open_page, make_lead, password):
    make_lead("PENDING", topic="Fibre for Acme")
    page = open_page(390, 844, has_touch=True, is_mobile=True)
    _log_in(page, password)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    grip = page.locator(".lead-card", has_text="Fibre for Acme").locator(".grip")
    start = grip.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    learn = page.locator('[data-status="Learn"]').bounding_box()  # peeks in at the right
    to_x, to_y = min(learn["x"] + 20, 385), learn["y"] + 60
    cdp = page.context.new_cdp_session(page)
    with page.expect_request("**/web/board/drop*", timeout=5000) as sent:
        _touch(cdp, "touchStart", x, y)
        for step in range(1, 6):
            _touch(cdp, "touchMove", x + (to_x - x) * step / 5, y + (to_y - y) * step / 5)
        _touch(cdp, "touchEnd", to_x, to_y)
    assert "number=1" in sent.value.post_data
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Fibre for Acme")
    expect(page.locator("#board .notice")).to_contain_text("started")
    assert errors == []


def _drag_along(page, cdp, grip, column) -> None:
    """Drags ``grip``'s card by touch to the strip's right edge until ``column`` is on the
    screen (the strip scrolls along), then onto it."""
    fits(grip)
    start = grip.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    _touch(cdp, "touchStart", x, y)
    for step in range(200):
        _touch(cdp, "touchMove", 376 + step % 2 * 4, y + 40)
        if step % 5 == 4 and column.bounding_box()["x"] < 200:
            break
    box = column.bounding_box()
    assert 0 <= box["x"] < 200
    to_x, to_y = box["x"] + min(box["width"], 390 - box["x"]) / 2, box["y"] + 30
    _touch(cdp, "touchMove", to_x, to_y)
    _touch(cdp, "touchEnd", to_x, to_y)


def _settle(dialog) -> None:
    """Taps the dialog's text: this Chromium gave no click for the first tap after a touch
    drag injected through CDP (every run from 16:00 on 2026-11-26, none before; pointerup
    and touchend reach the button, the click does not), so a button's tap comes second."""
    dialog.locator("p").first.tap()


def test_a_card_dragged_by_touch_along_the_strip_is_lost_through_its_dialog(
    open_page, make_lead, password
):
    make_lead("IN_PROGRESS", topic="Shaky")
    page = screen(open_page, 390)
    _log_in(page, password)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    cdp = page.context.new_cdp_session(page)
    grip = page.locator("#lead-1 .grip")
    lost = page.locator('[data-status="Lost"]')  # three columns along, off the screen
    dialog = page.locator("#lost-dialog")
    _drag_along(page, cdp, grip, lost)
    expect(dialog).to_be_visible()
    fits(dialog, target=False, scroll=False)
    _settle(dialog)
    press(dialog.get_by_role("button", name="Keep it"))  # changes nothing
    expect(dialog).to_be_hidden()
    expect(page.locator('[data-status="Learn"]')).to_contain_text("Shaky")

    _drag_along(page, cdp, grip, lost)
    expect(dialog).to_be_visible()
    dialog.locator("select[name=lost_reason]").select_option(label="Price")
    _settle(dialog)
    with page.expect_response("**/web/board/drop*"):
        press(dialog.get_by_role("button", name="Lose"))
    expect(page.locator('[data-status="Lost"] .count')).to_have_text("1 lead")
    expect(page.locator("#board .notice")).to_contain_text("lost")
    assert errors == []
