"""Screenshots of every page (tests/web/pages.py) at 1440 and 390 px with the demo data, full
page, into tests/artifacts/web-ui/<page>-<width>.png; `scripts/screenshots` copies them to
docs/web-ui/ for docs/web-ui.md."""

from __future__ import annotations

import pytest

from tests.web.conftest import ARTIFACTS
from tests.web.pages import PAGES, WIDTHS, fill, signed_in

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.once]
SHOTS = ARTIFACTS / "web-ui"


def test_every_page_at_both_widths_is_photographed(open_page, demo, db):
    fill(db)
    SHOTS.mkdir(parents=True, exist_ok=True)
    state = None
    for width, height in WIDTHS.items():
        page = signed_in(open_page, width, state)
        state = page.context.storage_state()
        guest = open_page(width, height)
        for p in PAGES:
            tab = page if p.signed_in else guest
            tab.goto(p.path)
            path = SHOTS / f"{p.name}-{width}.png"
            tab.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 1000, p.name
