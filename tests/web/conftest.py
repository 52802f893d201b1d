"""Web fixtures: a lead type with a status per life cycle state, a user who can log in, leads;
the real app served on a port, and a chromium page for the browser tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import uvicorn

from leadbook.app import create_app
from leadbook.auth.passwords import hash_password
from leadbook.models import Contact, Lead, LeadStatus, LeadType, LostReason, Role, User
from tests.web import pages

PASSWORD = "correct horse battery"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(settings):
    """The real app served by uvicorn on a free local port, against the test database."""
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for a test module (each test opens contexts of its own);
    skipped where chromium or Playwright is not installed."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, server):
    """Returns a function opening a page on the served app in a fresh browser context of the
    given viewport (``has_touch=True`` for a touch screen); the contexts close after the test."""
    contexts = []

    def open_(width: int = 1280, height: int = 800, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=server, **options
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A chromium page at 1280×800 (the module's browser, a context of its own)."""
    return open_page()


@pytest.fixture(params=list(pages.WIDTHS), ids=lambda width: f"{width}px")
def width(request) -> int:
    """Each width of pages.WIDTHS in turn: a feature scenario on a desktop and on a phone."""
    return request.param


@pytest.fixture
def screen(open_page, width):
    """A page of ``width`` (the phone's a touch screen: pages.screen)."""
    return pages.screen(open_page, width)


@pytest.fixture
def reference(db):
    """Creates the Sales lead type (Reach, Learn, Won, Lost, Cancelled), an administrator
    (who sees every lead), lost reasons."""
    statuses = {
        state: LeadStatus(name=name, life_cycle_state=state)
        for name, state in [
            ("Reach", "PENDING"),
            ("Learn", "IN_PROGRESS"),
            ("Won", "WON"),
            ("Lost", "LOST"),
            ("Cancelled", "CANCELLED"),
        ]
    }
    lead_type = LeadType(
        name="Sales",
        statuses=list(statuses.values()),
        create_status=statuses["PENDING"],
        start_status=statuses["IN_PROGRESS"],
        win_status=statuses["WON"],
        lost_status=statuses["LOST"],
        cancel_status=statuses["CANCELLED"],
    )
    user = User(
        username="maria",
        person_name="Maria Sales",
        password_hash=hash_password(PASSWORD),
        role=Role.ADMIN,
    )
    db.add_all([lead_type, user, LostReason(name="Price"), LostReason(name="Timing")])
    db.commit()
    return {"type": lead_type, "statuses": statuses, "user": user}


@pytest.fixture
def make_lead(db, reference):
    """Returns a function storing a lead of the Sales type in the given state (of a new
    person, Jane Doe, unless ``contact`` is given), assigned to the fixture user (so it
    is on her board's default view, my leads) unless ``assigned_user`` is given."""
    numbers = iter(range(1, 10_000))

    def make(state="PENDING", **values) -> Lead:
        lead = Lead(
            number=next(numbers),
            life_cycle_state=state,
            type=reference["type"],
            status=reference["statuses"][state],
            importance=values.pop("importance", "IMPORTANCE3"),
            priority=values.pop("priority", 3),
            source_type=values.pop("source_type", "OTHER"),
            start_date=datetime(2026, 1, 1),
            contact=values.pop("contact", None)
            or Contact(type="PERSON", first_name="Jane", last_name="Doe"),
            assigned_user=values.pop("assigned_user", reference["user"]),
            **values,
        )
        db.add(lead)
        db.commit()
        return lead

    return make


@pytest.fixture
def password():
    """The password of the fixture user."""
    return PASSWORD


@pytest.fixture
def login(client, csrf_of):
    """Returns a function opening the login form, then posting it (with the CSRF token the
    form carries); the client keeps the cookies it gets."""

    def post(username="maria", password=PASSWORD):
        csrf = csrf_of(client.get("/web/login").text)
        return client.post(
            "/web/login",
            data={"username": username, "password": password, "csrf": csrf},
            follow_redirects=False,
        )

    return post


@pytest.fixture
def csrf_of():
    """Returns a function finding the CSRF token a page carries in its forms."""
    return lambda html: re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def signed_in(client, reference, login):
    """A client with a live session."""
    assert login().status_code == 303
    return client


@pytest.fixture
def past():
    """A moment three days ago."""
    return datetime.utcnow() - timedelta(days=3)
