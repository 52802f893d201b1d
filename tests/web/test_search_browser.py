"""In chromium, on a desktop and a phone: the lead form's contact picker suggests contacts
as the user types; the arrow keys walk the suggestions and Enter picks one (on the phone a
tap does), which the created lead gets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook.models import Contact, Lead
from tests.web.conftest import ARTIFACTS
from tests.web.pages import PHONE, fits, press

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_typing_in_the_contact_picker_and_picking_a_contact(screen, width, db, reference, password):
    page = screen
    db.add_all(
        [
            Contact(type="PERSON", number="CI000301", first_name="Ada", last_name="Quaxworth"),
            Contact(type="PERSON", number="CI000302", first_name="Bo", last_name="Quaxworth"),
            Contact(type="PERSON", number="CI000303", first_name="Cy", last_name="Other"),
        ]
    )
    db.commit()
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")
    page.goto("/web/leads/new")
    page.fill("input[name=topic]", "Picked")

    picker = page.get_by_role("combobox", name="Existing")
    press(picker)
    picker.press_sequentially("quax", delay=30)
    listbox = page.get_by_role("listbox", name="Contacts found")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(picker).to_have_attribute("aria-expanded", "true")
    fits(listbox, target=False)
    fits(options.nth(1))
    page.screenshot(path=ARTIFACTS / f"web-contact-picker-{width}.png", full_page=True)
    if width == PHONE:
        options.nth(1).tap()
    else:
        picker.press("ArrowDown")
        picker.press("ArrowDown")
        expect(picker).to_have_attribute("aria-activedescendant", "contact-option-2")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        picker.press("Enter")  # picks, does not send the form
    expect(picker).to_have_value("Bo Quaxworth (CI000302)")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")

    if width == PHONE:
        press(page.get_by_role("button", name="Create lead"))
    else:
        picker.press("Enter")  # now sends it
    page.wait_for_url("**/web/leads/1")
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == 1))
    assert lead.topic == "Picked" and lead.contact.first_name == "Bo"
