"""The sales workflow end to end in chromium: log a call, schedule a follow-up, let the
controllable clock pass the follow-up and the rotting threshold, run `leadbook workflow
tick` (the cron face of the worker's job), then see the flags, the bell, the dashboard
count, and the email in a real SMTP sink."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from leadbook import cli
from leadbook.config import get_settings
from leadbook.domain import clock
from leadbook.models import RottingThreshold
from tests.web.conftest import ARTIFACTS
from tests.workflow import smtpsink

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.browser, pytest.mark.once]
T0 = datetime(2031, 3, 4, 9, 0)


@pytest.fixture
def frozen():
    clock.freeze(T0)
    yield T0
    clock.freeze(None)


@pytest.fixture
def smtp():
    controller, sink = smtpsink.start()
    yield controller.port, sink
    controller.stop()


def _log_in(page, password):
    page.goto("/web/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/web/board")


def test_a_follow_up_left_late_is_flagged_counted_and_emailed(
    frozen, page, make_lead, reference, db, password, smtp, database_url, monkeypatch
):
    port, sink = smtp
    maria = reference["user"]
    maria.email, maria.email_notifications = "maria@example.test", True
    lead_type, reach = reference["type"], reference["statuses"]["PENDING"]
    lead_type.first_response_minutes = 120
    db.add(RottingThreshold(lead_type=lead_type, status=reach, days=2))
    make_lead("PENDING", topic="Fibre for Acme", assigned_user=maria, created_date=T0)

    _log_in(page, password)
    page.goto("/web/leads/1")
    form = page.locator("form.log-activity")
    form.locator("select[name=kind]").select_option("call")
    form.locator("input[name=subject]").fill("Intro call")
    form.locator("input[name=done]").check()
    page.click("text=Log activity")
    page.wait_for_url("**/web/leads/1#timeline")
    form.locator("select[name=kind]").select_option("task")
    form.locator("input[name=subject]").fill("Send the offer")
    form.locator("input[name=due_at]").fill("2031-03-04T12:00")
    page.click("text=Log activity")
    page.wait_for_url("**/web/leads/1#timeline")
    expect(page.locator("ol.timeline")).to_contain_text("Task: Send the offer")
    expect(page.locator("ol.timeline")).to_contain_text("Call: Intro call")
    page.screenshot(path=ARTIFACTS / "web-workflow-timeline.png", full_page=True)

    clock.freeze(T0 + timedelta(days=2, hours=3))  # the offer is late, the lead rots
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    monkeypatch.setenv("LEADBOOK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LEADBOOK_SMTP_PORT", str(port))
    get_settings.cache_clear()
    try:
        ticked = CliRunner().invoke(cli.app, ["workflow", "tick"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert "1 breach(es), 0 escalation(s), 1 email(s) sent" in ticked.stdout

    _log_in(page, password)  # the session lived by the clock, too
    card = page.locator("#lead-1")
    expect(card.locator(".badge.breach.rotting")).to_have_text("Rotting")
    expect(card.locator(".next-activity.late")).to_contain_text("Send the offer")
    expect(page.locator("#unread")).to_have_text("1")
    page.screenshot(path=ARTIFACTS / "web-workflow-board.png", full_page=True)
    page.click("nav >> text=Dashboard")
    expect(page.locator("#breach-rotting")).to_have_text("1")
    page.click("a.bell")
    expect(page.locator(".notifications li.unread")).to_contain_text(
        "Lead #1 Fibre for Acme is rotting"
    )
    page.screenshot(path=ARTIFACTS / "web-workflow-notifications.png", full_page=True)
    (email,) = sink.messages
    assert email["To"] == "maria@example.test" and "is rotting" in email["Subject"]
