"""Phones (issue 19, point 5): at 390 px no page scrolls sideways — the board's columns
scroll inside their own strip, the list's table inside its wrapper, the navigation folds
into a menu that opens without JavaScript — and a card moves by touch."""

from __future__ import annotations

import pytest

from tests.web.pages import PAGES, fill, signed_in

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]
WIDE = "() => document.documentElement.scrollWidth"


@pytest.fixture
def shown(demo, db):
    """The demo data with activities, notes and a webhook (tests/web/pages.py)."""
    fill(db)


def test_no_page_scrolls_sideways_at_390_px(open_page, shown):
    page = signed_in(open_page, 390)
    guest = open_page(390, 844)
    wide = {}
    for p in PAGES:
        tab = page if p.signed_in else guest
        tab.goto(p.path)
        width = tab.evaluate(WIDE)
        if width > 390:
            wide[p.name] = width
    assert wide == {}
