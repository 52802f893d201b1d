"""Phones (issue 19, point 5): the board's columns scroll inside their own strip, the
navigation folds into a menu that opens without JavaScript, and a card moves by touch.
That no page scrolls sideways at 390 or 1440 px is checked where every page is visited
anyway: tests/web/test_screenshots.py."""

from __future__ import annotations

import pytest

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
    strip = page.evaluate("() => { const b = document.querySelector('.board');"
                          " return [b.scrollWidth, b.clientWidth]; }")
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
