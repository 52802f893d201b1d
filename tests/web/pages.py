"""The web pages the page-wide browser tests visit (phone layout, axe-core, screenshots): one
list, so a new page is one line; the widths; the demo data they are shown with; signing in;
what a feature scenario checks of a control on a phone (on the screen, big enough to tap)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.domain import clock, subscriptions
from leadbook.domain.actor import Actor
from leadbook.domain.workflow import activities, notes
from leadbook.refdata import demo as demo_data

LEAD = 37  # an open demo lead (New Customer, Learn): its page shows moves and the forms
NEW_CUSTOMER = "696C0E5F273B4D548F875F63F9DE77C2"  # the demo lead type with a lead per state
TOPICS = {
    4: "Office move (called off)",
    5: "Fibre for the new branch",
    37: "Fibre for three sites",
    40: "Mobile fleet, 40 lines",
    41: "Hosted phones",
    42: "Data centre link",
    43: "TV for the hotel rooms",
    44: "Backup line",
}
WEBHOOK = "crm-sync"


@dataclass(frozen=True)
class Page:
    """A page by name (its screenshot's file name), its address, whether it needs a session."""

    name: str
    path: str
    signed_in: bool = True


PAGES = (
    Page("login", "/web/login", signed_in=False),
    Page("board", f"/web/board?type={NEW_CUSTOMER}"),
    Page("leads", "/web/leads"),
    Page("lead", f"/web/leads/{LEAD}"),
    Page("lead-new", "/web/leads/new"),
    Page("lead-edit", f"/web/leads/{LEAD}/edit"),
    Page("dashboard", "/web/dashboard"),
    Page("reports", "/web/reports"),
    Page("notifications", "/web/notifications"),
    Page("duplicates", "/web/duplicates"),
    Page("web-forms", "/web/intake-forms"),
    Page("webhooks", "/web/webhooks"),
    Page("webhook", f"/web/webhooks/{WEBHOOK}"),
    Page("admin", "/web/admin"),
    Page("admin-lead-types", "/web/admin/data/lead_types"),
    Page("admin-users", "/web/admin/users"),
    Page("admin-api-keys", "/web/admin/api-keys"),
    Page("not-found", "/web/no-such-page"),
    Page("bad-parameter", "/web/leads?page=0"),
)
WIDTHS = {1440: 900, 390: 844}  # desktop and phone viewports: width → height
PHONE = 390  # the phone's width: a touch screen
TARGET = 24  # the smallest control a finger is asked to hit, CSS px (WCAG 2.2 target size)


def fill(db: Session) -> None:
    """Adds to the demo data what makes the pages realistic: topics, notes, done and due
    activities (one late), a webhook subscription."""
    admin = db.scalar(select(m.User).where(m.User.username == demo_data.ADMIN))
    actor = Actor(user=admin, unit=admin.unit, via="test")
    now = clock.now().replace(microsecond=0)
    for number, topic in TOPICS.items():
        db.scalar(select(m.Lead).where(m.Lead.number == number)).topic = topic
    for number, subject, due, done in [
        (LEAD, "Call about the fibre quote", now - timedelta(days=2), True),
        (LEAD, "Send the revised offer", now + timedelta(days=1), False),
        (40, "Demo at the client's office", now - timedelta(days=1), False),
        (44, "Follow-up email", now + timedelta(days=3), False),
    ]:
        lead = db.scalar(select(m.Lead).where(m.Lead.number == number))
        activities.log(db, actor, lead, activities.NewActivity("CALL", subject, due, done=done))
    lead = db.scalar(select(m.Lead).where(m.Lead.number == LEAD))
    notes.add(db, actor, lead, "Asked for 3 sites; decision before the end of the month.")
    subscriptions.save(
        db, WEBHOOK, {"url": "https://hooks.example.test/leads", "event_types": ["lead.created"]}
    )
    db.commit()


def signed_in(open_page, width: int, state: dict | None = None, **options):
    """Returns a page of ``width`` (its height from WIDTHS) signed in as the demo
    administrator: with the stored session ``state``, else through the login form."""
    page = open_page(width, WIDTHS[width], storage_state=state, **options)
    if state is None:
        page.goto("/web/login")
        page.fill("input[name=username]", demo_data.ADMIN)
        page.fill("input[name=password]", demo_data.PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/web/board")
    return page


def every_page(open_page, **options) -> Iterator[tuple[Page, int, Any]]:
    """Opens each of PAGES at each of WIDTHS (signed in, or as a guest for the login page)
    and yields the page, the width and the browser tab showing it."""
    state = None
    for width, height in WIDTHS.items():
        page = signed_in(open_page, width, state, **options)
        state = page.context.storage_state()
        guest = open_page(width, height, **options)
        for p in PAGES:
            tab = page if p.signed_in else guest
            tab.goto(p.path)
            yield p, width, tab


def screen(open_page, width: int, **options):
    """Opens a page of ``width`` (its height from WIDTHS); the phone's is a touch screen."""
    if width == PHONE:
        options = {"has_touch": True, "is_mobile": True, **options}
    return open_page(width, WIDTHS[width], **options)


def fits(locator, *, target: bool = True, scroll: bool = True) -> None:
    """Asserts that ``locator`` is visible and (``scroll``: once scrolled to, as a person
    would) wholly inside the viewport's width, that the page does not scroll sideways, and
    on the phone (``target``: a control to tap) that it is at least TARGET × TARGET px."""
    page = locator.page
    width = page.viewport_size["width"]
    if scroll:
        locator.evaluate("e => e.scrollIntoView({block: 'nearest', inline: 'center'})")
    assert locator.is_visible(), locator
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box)
    if target and width == PHONE:
        assert box["width"] >= TARGET and box["height"] >= TARGET, (locator, box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def press(locator) -> None:
    """Taps ``locator`` on the phone, clicks it elsewhere, once it fits (see ``fits``)."""
    fits(locator)
    if locator.page.viewport_size["width"] == PHONE:
        locator.tap()
    else:
        locator.click()
