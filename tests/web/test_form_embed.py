"""In chromium: the embeddable snippet of a web form, pasted into a page served on another
origin, submits a lead (no JavaScript needed; the snippet's script adds the page's UTM
parameters) and lands on the thank-you page."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from leadbook.intake.snippet import snippet
from leadbook.models import IntakeForm, Lead
from tests.web.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.once]


@pytest.fixture
def site(tmp_path):
    """A static site on another origin (another port): its folder and its URL."""
    port = free_port()
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_the_snippet_submits_from_another_origin(page, server, site, reference, db):
    folder, origin = site
    form = IntakeForm(
        key="embed",
        lead_type=reference["type"],
        user=reference["user"],
        field_map={"name": "last_name", "mail": "email", "message": "description"},
        allowed_origins=[origin],
        redirect_url=f"{origin}/thanks.html",
    )
    db.add(form)
    db.commit()
    (folder / "offer.html").write_text(f"<!doctype html><h1>Offer</h1>{snippet(form, server)}")
    (folder / "thanks.html").write_text("<!doctype html><h1>Thank you</h1>")

    page.goto(f"{origin}/offer.html?utm_source=browser&gclid=g1")
    page.fill("input[name=name]", "Lovelace")
    page.fill("input[name=mail]", "ada@embed.test")
    page.fill("textarea[name=message]", "From the offer page")
    page.click("button[type=submit]")
    page.wait_for_url(f"{origin}/thanks.html")

    db.rollback()
    lead = db.scalar(select(Lead).where(Lead.source_name == "embed"))
    assert lead.contact.last_name == "Lovelace" and lead.description == "From the offer page"
    assert lead.attribution["utm_source"] == "browser" and lead.attribution["gclid"] == "g1"
    assert lead.attribution["landing_url"].startswith(f"{origin}/offer.html?")
