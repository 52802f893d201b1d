"""The mail rules without a server: what is skipped, how a sender's name is split, when
a message joins an open lead and when it makes a new one; intake addresses on forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import leads, lifecycle, mail
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges, Source
from leadbook.domain.mailfilter import InboundMail, skip_reason
from tests.capture.conftest import ADMIN


def _mail(sender="ada@x.test", reverse_path="ada@x.test", ids=(None, ()), **headers):
    return InboundMail(
        sender=sender,
        name="Ada Lovelace",
        subject="Quote",
        text="Hello",
        message_id=ids[0],
        refers_to=ids[1],
        reverse_path=reverse_path,
        headers={k.replace("_", "-"): v for k, v in headers.items()},
    )


@pytest.mark.parametrize(
    ("sender", "reverse_path", "headers", "reason"),
    [
        ("ada@x.test", "", {}, "bounce: null reverse-path <>"),
        ("MAILER-DAEMON@mx.test", "x@mx.test", {}, "bounce: sent by mailer-daemon"),
        ("ada@x.test", "postmaster@mx.test", {}, "bounce: sent by ada"),
        ("ada@x.test", "ada@x.test", {"content-type": "multipart/report; x=y"}, "bounce"),
        ("ada@x.test", "ada@x.test", {"Auto-Submitted": "auto-generated"}, "auto-reply"),
        ("ada@x.test", "ada@x.test", {"X-Autorespond": "1"}, "auto-reply"),
        ("ada@x.test", "ada@x.test", {"List-Unsubscribe": "<x>"}, "list mail"),
        ("ada@x.test", "ada@x.test", {"Precedence": "Junk"}, "list mail: Precedence junk"),
        ("noreply@x.test", "b@x.test", {}, "no-reply"),
        ("no_reply.billing@x.test", "b@x.test", {}, "no-reply"),
        ("do-not-reply@x.test", "b@x.test", {}, "no-reply"),
        ("DoNotReply@x.test", "b@x.test", {}, "no-reply"),
    ],
)
def test_what_is_skipped(sender, reverse_path, headers, reason):
    found = skip_reason(_mail(sender, reverse_path, **headers))
    assert found is not None and found.startswith(reason)


@pytest.mark.parametrize(
    "sender, headers",
    [
        ("ada@x.test", {"Auto-Submitted": "no"}),
        ("ada@x.test", {"Precedence": "first-class"}),
        ("noreplying.ada@x.test", {}),
        ("replyto@x.test", {"Content-Type": "multipart/mixed"}),
    ],
)
def test_a_person_writing_is_not_skipped(sender, headers):
    assert skip_reason(_mail(sender, **headers)) is None


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Ada Lovelace", {"first_name": "Ada", "last_name": "Lovelace"}),
        ('"Lovelace, Ada"', {"first_name": "Ada", "last_name": "Lovelace"}),
        ("Ada King Lovelace", {"first_name": "Ada King", "last_name": "Lovelace"}),
        ("Ada", {"last_name": "Ada"}),
        ("", {"last_name": "ada.l"}),
        ("ada.l@x.test", {"last_name": "ada.l"}),
    ],
)
def test_the_sender_s_name_is_split(name, split):
    assert mail.split_name(name, "ada.l@x.test") == split


@pytest.fixture
def form(db, demo):
    user = db.scalar(select(m.User).where(m.User.username == "mpadministrator"))
    lead_type = db.scalar(select(m.LeadType).where(m.LeadType.name == "New Customer"))
    row = m.IntakeForm(
        key="mail", lead_type=lead_type, user=user, field_map={}, email_address="in@x.test"
    )
    db.add(row)
    db.flush()
    return row


def test_two_open_leads_and_no_thread_make_a_new_lead(db, form):
    first = _lead(db, mail.receive(db, form, _mail(ids=("t1@x.test", ()))).lead)
    actor = Actor(user=form.user, unit=form.user.unit)
    values = {"type": first.type, "importance": "IMPORTANCE1", "priority": 1}
    changes = LeadChanges(
        values={**values, "contact": first.contact}, source=Source("OTHER", "phone")
    )
    second = leads.create(db, actor, changes)
    made = mail.receive(db, form, _mail())
    assert made.outcome == "created" and made.lead not in (first.number, second.number)
    threaded = mail.receive(db, form, _mail(ids=(None, ("x@y.test", "t1@x.test"))))
    assert (threaded.outcome, threaded.lead) == ("added", first.number)


def test_a_reply_in_a_won_lead_s_thread_makes_a_new_lead(db, form, admin):
    first = mail.receive(db, form, _mail(ids=("w1@x.test", ())))
    lead = _lead(db, first.lead)
    lifecycle.start_progress(db, admin, lead)
    lifecycle.win(db, admin, lead)
    made = mail.receive(db, form, _mail(ids=(None, ("w1@x.test",))))
    assert made.outcome == "created" and made.lead != first.lead


def _lead(db, number) -> m.Lead:
    return db.scalar(select(m.Lead).where(m.Lead.number == number))


def test_a_form_may_receive_mail_only(client, demo):
    row = {"key": "by-mail", "lead_type": "New Customer", "user": "mariosm"}
    answer = client.put(
        "/api/admin/intake_forms",
        json=[{**row, "email_address": " Leads@Example.TEST "}],
        headers=ADMIN,
    )
    assert answer.status_code == 200, answer.text
    shown = client.get("/api/admin/intake_forms/by-mail", headers=ADMIN).json()
    assert shown["email_address"] == "leads@example.test"


@pytest.mark.parametrize("address", ["leads", "leads@localhost", "a b@x.test", "<a@x.test>"])
def test_an_intake_address_must_be_an_address(client, demo, address):
    row = {"key": "bad", "lead_type": "New Customer", "user": "mariosm", "email_address": address}
    answer = client.put("/api/admin/intake_forms", json=[row], headers=ADMIN)
    assert answer.status_code == 422 and "email_address" in answer.text


def test_two_forms_may_not_share_an_address(client, demo):
    rows = [
        {"key": k, "lead_type": "New Customer", "user": "mariosm", "email_address": "in@x.test"}
        for k in ("one", "two")
    ]
    assert client.put("/api/admin/intake_forms", json=rows[:1], headers=ADMIN).status_code == 200
    answer = client.put("/api/admin/intake_forms", json=rows[1:], headers=ADMIN)
    assert answer.status_code == 409 and "email_address" in answer.text and "'one'" in answer.text
    assert client.get("/api/admin/intake_forms/two", headers=ADMIN).status_code == 404
