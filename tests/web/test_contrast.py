"""Issue 19, point 6: the dashboard's won / lost labels and the board's muted words reach
4.5:1 against what is behind them, and no funnel label is cut off, at 1440 and 390 px."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.once]

# the WCAG contrast ratio of an element's text colour against the first opaque background
# behind it (the element's or an ancestor's)
CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = el;
  const clear = (e) => (rgb(getComputedStyle(e).backgroundColor)[3] ?? 1) === 0;
  while (back && clear(back)) back = back.parentElement;
  const fg = lum(rgb(getComputedStyle(el).color));
  const bg = lum(rgb(back ? getComputedStyle(back).backgroundColor : "rgb(255,255,255)"));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""
# funnel labels that reach past the chart's drawing (its viewBox)
CUT = """(svg) => [...svg.querySelectorAll("text")].filter((t) => {
  const b = t.getBBox(), v = svg.viewBox.baseVal;
  return b.x < v.x || b.x + b.width > v.x + v.width;
}).map((t) => t.textContent)"""


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


@pytest.mark.parametrize("width", [1440, 390])
def test_won_lost_and_muted_words_are_readable_and_no_funnel_label_is_cut(
    open_page, make_lead, password, width
):
    make_lead("PENDING", topic="Huge", target_amount=987_654_321_098)
    make_lead("IN_PROGRESS", topic="Mobile fleet", target_amount=800)
    make_lead("WON", topic="Signed deal", target_amount=5000)
    make_lead("LOST", topic="Gone deal")
    page = open_page(width, 900)
    _log_in(page, password)
    muted = page.locator('[data-status="Reach"] h2 small')
    assert muted.evaluate(CONTRAST) >= 4.5
    page.goto("/web/dashboard")
    won, lost = page.locator("#won-label"), page.locator("#lost-label")
    assert won.inner_text() == "1 won" and lost.inner_text() == "1 lost"
    assert won.evaluate(CONTRAST) >= 4.5 and lost.evaluate(CONTRAST) >= 4.5
    funnel = page.locator("svg.funnel")
    assert "987,654,321,098" in funnel.text_content()
    assert funnel.evaluate(CUT) == []
