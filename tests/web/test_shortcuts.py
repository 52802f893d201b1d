"""Keyboard shortcuts (static/shortcuts.js): "/" search, "n" new lead, "g b" / "g l" / "g d"
pages, "?" the help dialog (Esc closes it, focus goes back), the footer's link opening the
same help; none while typing in a field or with a modifier key. On a desktop and on a phone
(a hardware keyboard works there too; the help fits the phone's screen and its footer link
and Close button are tapped)."""

from __future__ import annotations

import pytest

from tests.web.pages import fits, press

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


@pytest.fixture
def board(screen, make_lead, password):
    """A signed-in page on the board (one lead on it), at each width."""
    make_lead("PENDING", topic="Fibre for Acme")
    page = screen
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")
    return page


def _focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.name || document.activeElement.id")


def test_slash_focuses_the_list_search_from_any_page(board):
    board.keyboard.press("/")
    board.wait_for_url("**/web/leads#search")
    expect(board.locator("input[name=q]")).to_be_focused()
    fits(board.locator("input[name=q]"), scroll=False)  # in sight as it takes the focus
    board.keyboard.type("fibre")  # the "/" itself was not typed into the field
    assert board.input_value("input[name=q]") == "fibre"
    board.locator("input[name=q]").blur()
    board.keyboard.press("/")
    expect(board.locator("input[name=q]")).to_be_focused()
    assert board.url.endswith("/web/leads#search")


def test_n_and_g_keys_open_their_pages(board):
    for keys, path in [
        ("n", "/web/leads/new"),
        ("gl", "/web/leads"),
        ("gd", "/web/dashboard"),
        ("gb", "/web/board"),
    ]:
        for key in keys:
            board.keyboard.press(key)
        board.wait_for_url(f"**{path}")


def test_question_mark_opens_the_help_esc_closes_it_and_focus_returns(board):
    card_link = board.get_by_role("link", name="#1 Fibre for Acme")
    card_link.focus()
    board.keyboard.press("?")
    help_ = board.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_).to_be_visible()
    fits(help_, target=False, scroll=False)
    assert "New lead" in help_.inner_text() and "Dashboard" in help_.inner_text()
    board.keyboard.press("g")  # no shortcut while the help is open
    board.keyboard.press("d")
    board.keyboard.press("Escape")
    expect(help_).to_be_hidden()
    expect(card_link).to_be_focused()
    assert board.url.endswith("/web/board")
    press(board.get_by_role("button", name="Keyboard shortcuts (?)"))
    expect(help_).to_be_visible()
    fits(help_, target=False, scroll=False)
    press(help_.get_by_role("button", name="Close"))
    expect(help_).to_be_hidden()


def test_no_shortcut_while_typing_or_with_a_modifier(board):
    board.goto("/web/leads")
    field = board.locator("input[name=q]")
    field.focus()
    field.press("n")
    field.press("g")
    field.press("d")
    assert field.input_value() == "ngd" and board.url.endswith("/web/leads")
    field.blur()
    board.keyboard.press("Control+n")
    board.keyboard.press("Alt+g")
    board.keyboard.press("d")
    board.wait_for_timeout(300)
    assert board.url.endswith("/web/leads")
    expect(board.get_by_role("dialog")).to_have_count(0)
