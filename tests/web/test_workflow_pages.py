"""The lead page's workflow forms (plain posts, no JavaScript), the timeline, the next
activity and flags on lists and cards, the list filters, the bell and the dashboard."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import clock
from leadbook.domain.workflow import notify

NOW = datetime(2031, 3, 4, 9, 0)


@pytest.fixture
def frozen():
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


def _post(client, csrf_of, number: int, path: str, **data):
    csrf = csrf_of(client.get(f"/web/leads/{number}").text)
    return client.post(
        f"/web/leads/{number}/{path}", data={"csrf": csrf, **data}, follow_redirects=False
    )


def test_add_a_note_log_an_activity_and_mark_it_done(frozen, signed_in, make_lead, csrf_of, db):
    lead = make_lead("PENDING", topic="Fibre")
    assert _post(signed_in, csrf_of, 1, "notes", text="Met at the fair").status_code == 303
    due = "2031-03-04T08:00"
    logged = _post(
        signed_in, csrf_of, 1, "activities", kind="call", subject="Call back", due_at=due
    )
    assert logged.status_code == 303
    html = signed_in.get("/web/leads/1").text
    timeline = html.split('id="timeline"')[1]
    assert timeline.index("Call: Call back") < timeline.index("Met at the fair")
    listed = signed_in.get("/web/leads", params={"activity": "late"}).text
    assert "Next: Call · Call back" in listed and "Late" in listed
    activity = db.scalar(select(m.Activity).where(m.Activity.lead_id == lead.id))
    assert _post(signed_in, csrf_of, 1, f"activities/{activity.id}/done").status_code == 303
    assert "No lead matches" in signed_in.get("/web/leads", params={"activity": "late"}).text
    assert "No next activity" in signed_in.get("/web/board").text


def test_a_refused_form_shows_the_lead_with_the_message_and_stores_nothing(
    signed_in, make_lead, csrf_of, db
):
    make_lead("PENDING")
    refused = _post(signed_in, csrf_of, 1, "activities", kind="lunch", subject="x", due_at="")
    assert refused.status_code == 422 and "kind must be one of" in refused.text
    refused = _post(signed_in, csrf_of, 1, "notes", text="  ")
    assert refused.status_code == 400 and "text is mandatory" in refused.text
    db.rollback()
    assert db.scalars(select(m.Note)).all() == [] and db.scalars(select(m.Activity)).all() == []


def test_edit_and_delete_ones_own_note(signed_in, make_lead, csrf_of, db):
    make_lead("PENDING")
    _post(signed_in, csrf_of, 1, "notes", text="draft")
    note = db.scalar(select(m.Note))
    _post(signed_in, csrf_of, 1, f"notes/{note.id}/edit", text="final")
    assert "final" in signed_in.get("/web/leads/1").text.split('id="timeline"')[1]
    _post(signed_in, csrf_of, 1, f"notes/{note.id}/delete")
    db.expire_all()
    assert db.scalars(select(m.Note)).all() == []


def test_the_bell_counts_unread_notifications_and_the_page_marks_them_read(
    signed_in, reference, csrf_of, db
):
    notify.notify(db, reference["user"], "lead.rotting", "Lead #7 is rotting")
    db.commit()
    page = signed_in.get("/web/notifications").text
    assert re.search(r'id="unread" class="unread">1<', page) and "Lead #7 is rotting" in page
    signed_in.post("/web/notifications/read", data={"csrf": csrf_of(page)})
    assert re.search(r'id="unread" class="none">0<', signed_in.get("/web/board").text)
    signed_in.post("/web/notifications/preferences", data={"csrf": csrf_of(page), "email": "true"})
    db.expire_all()
    assert db.get(m.User, reference["user"].id).email_notifications is True


def test_flags_and_dashboard_counts_follow_the_targets(frozen, signed_in, make_lead, reference, db):
    lead_type = reference["type"]
    lead_type.first_response_minutes = 60
    make_lead("PENDING", topic="Silent", created_date=NOW - timedelta(hours=2))
    make_lead("PENDING", topic="Fresh", created_date=NOW)
    db.commit()
    board = signed_in.get("/web/board").text
    silent = board.split('id="lead-1"')[1].split("</article>")[0]
    assert "No first response" in silent
    page = signed_in.get("/web/leads/1").text
    assert "No first response" in page.split('id="workflow-mark"')[1].split("</p>")[0]
    assert "No first response" not in board.split('id="lead-2"')[1].split("</article>")[0]
    listed = signed_in.get("/web/leads", params={"breach": "first_response"}).text
    assert "Silent" in listed and "Fresh" not in listed
    dashboard = signed_in.get("/web/dashboard").text
    assert re.search(r'id="breach-first_response"><a [^>]*>1<', dashboard)
    assert re.search(r'id="breach-rotting"><a [^>]*>0<', dashboard)
