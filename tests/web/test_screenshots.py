"""Screenshots of every page (tests/web/pages.py) at 1440 and 390 px with the demo data, full
page, into tests/artifacts/web-ui/<page>-<width>.png; `scripts/screenshots` copies them to
docs/web-ui/ for docs/web-ui.md. The same visits check that no page scrolls sideways
(issue 19, point 5: phones; the rest of the phone layout is tests/web/test_phone.py)."""

from __future__ import annotations

import pytest

from tests.web.conftest import ARTIFACTS
from tests.web.pages import every_page, fill

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.once]
SHOTS = ARTIFACTS / "web-ui"
WIDE = "() => document.documentElement.scrollWidth"


def test_every_page_at_both_widths_is_photographed_and_scrolls_no_sideways(open_page, demo, db):
    fill(db)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    for p, width, tab in every_page(open_page):
        if tab.evaluate(WIDE) > width:
            wide[f"{p.name} @ {width}"] = tab.evaluate(WIDE)
        path = SHOTS / f"{p.name}-{width}.png"
        tab.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 1000, p.name
    assert wide == {}
