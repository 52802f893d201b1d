"""A real `leadbook smtp`: mail to an intake address becomes a lead, a reply joins its
open lead, bounces, auto-replies, list mail and no-reply senders are skipped, unknown
recipients and malformed or oversized mail refused; nothing stored for any of those."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from leadbook import models as m
from tests.smtp.conftest import MAX_BYTES, mail


def _count(db, model) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def _lead(db, text: str) -> m.Lead:
    number = int(re.search(r"lead (\d+)", text).group(1))
    db.rollback()
    db.expire_all()
    return db.scalar(select(m.Lead).where(m.Lead.number == number))


def test_a_message_becomes_a_lead(send, address, db):
    code, text = send(mail(Message_ID="<q1@engines.test>"), address.upper())
    assert code == 250 and "created" in text
    lead = _lead(db, text)
    contact = lead.contact
    assert (contact.first_name, contact.last_name, contact.email) == (
        "Ada",
        "Lovelace",
        "ada@engines.test",
    )
    assert lead.topic == "Quote for 3 engines"
    assert lead.description == "Hello,\nwe need three engines by March."
    assert lead.attribution == {"utm_source": "email", "mail_to": address}
    assert (lead.source_type, lead.created_by_user.username) == ("OTHER", "mariosm")
    created = db.scalar(select(m.LeadEvent).where(m.LeadEvent.lead_id == lead.id))
    assert (created.action, created.via) == ("create", "email")


def test_the_description_is_the_html_as_text_and_capped(send, address, db):
    message = mail()
    message.set_content("<p>Hello <b>there</b></p><p>" + "x" * 500 + "</p>", subtype="html")
    code, text = send(message, address)
    lead = _lead(db, text)
    assert lead.description.startswith("Hello there\n")
    assert len(lead.description) == 200 and "<" not in lead.description


BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.test>\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b--\r\n"
)


@pytest.mark.parametrize(
    ("message", "mail_from", "reason"),
    [
        (mail(subject="Out of office", Auto_Submitted="auto-replied"), "ada@engines.test", "auto"),
        (mail(subject="Away", X_Autoreply="yes"), "ada@engines.test", "auto-reply"),
        (BOUNCE, "", "bounce"),
        (mail(List_Id="<news.shop.test>"), "n@shop.test", "list"),
        (mail(List_Unsubscribe="<mailto:u@shop.test>"), "n@shop.test", "list"),
        (mail(Precedence="bulk"), "ada@engines.test", "list"),
        (mail("Shop <no-reply@shop.test>"), "no-reply@shop.test", "no-reply"),
        (mail("donotreply@bank.test"), "bounces@bank.test", "no-reply"),
    ],
    ids=[
        "auto-submitted",
        "x-autoreply",
        "bounce",
        "list-id",
        "list-unsubscribe",
        "bulk",
        "no-reply",
        "donotreply",
    ],
)
def test_mail_that_is_no_person_writing_is_skipped(send, address, db, message, mail_from, reason):
    leads, contacts = _count(db, m.Lead), _count(db, m.Contact)
    code, text = send(message, address, mail_from=mail_from)
    assert code == 250 and "skipped" in text and reason in text
    assert (_count(db, m.Lead), _count(db, m.Contact)) == (leads, contacts)


def test_a_reply_joins_the_open_lead_and_shows_in_its_history(send, address, db, client):
    first = _lead(db, send(mail(Message_ID="<q2@engines.test>"), address)[1])
    leads = _count(db, m.Lead)
    reply = mail(
        "ada@engines.test",
        "Re: Quote for 3 engines",
        In_Reply_To="<answer@sales.test>",
        References="<q2@engines.test> <answer@sales.test>",
        Message_ID="<q3@engines.test>",
    )
    code, text = send(reply, address)
    assert code == 250 and text.endswith(f"added to lead {first.number}")
    # the thread's third message names only the second; a repeat is taken once
    again = mail("Ada <ada@engines.test>", "Re: Re: Quote", References="<q3@engines.test>")
    assert send(again, address)[1].endswith(f"added to lead {first.number}")
    assert "already taken" in send(reply, address)[1]
    assert _count(db, m.Lead) == leads
    events = db.scalars(
        select(m.LeadEvent).where(m.LeadEvent.action == "mail").order_by(m.LeadEvent.id)
    ).all()
    assert [e.changes["subject"][1] for e in events] == ["Re: Quote for 3 engines", "Re: Re: Quote"]
    assert events[0].via == "email" and events[0].changes["text"][1].startswith("Hello,")
    _sign_in(client)
    page = client.get(f"/web/leads/{first.number}").text
    assert "Re: Quote for 3 engines" in page and "we need three engines" in page


def test_without_a_thread_the_sender_s_only_open_lead_is_joined(send, address, db):
    first = _lead(db, send(mail(), address)[1])
    code, text = send(mail("Ada <ADA@engines.test>", "One more thing"), address)
    assert text.endswith(f"added to lead {first.number}")


def test_an_unknown_recipient_is_refused(send, address, db):
    leads = _count(db, m.Lead)
    code, text = send(mail(), "someone-else@leads.test")
    assert code == 550 and "no such intake address" in text
    assert _count(db, m.Lead) == leads


@pytest.mark.parametrize(
    "content",
    [
        b"Subject: who am I\r\n\r\nNo From header.\r\n",
        b"From: not an address\r\nSubject: hm\r\n\r\nText.\r\n",
        b"From: a@x.test, b@x.test\r\nSubject: two\r\n\r\nText.\r\n",
    ],
    ids=["no-from", "from-no-address", "two-senders"],
)
def test_malformed_mail_is_refused(send, address, db, content):
    leads, contacts = _count(db, m.Lead), _count(db, m.Contact)
    code, text = send(content, address)
    assert code == 550 and "Malformed mail" in text
    assert (_count(db, m.Lead), _count(db, m.Contact)) == (leads, contacts)


def test_a_message_over_the_size_limit_is_refused(send, address, db):
    leads = _count(db, m.Lead)
    message = mail()
    message.set_content("line of text\n" * (MAX_BYTES // 10))
    code, _ = send(message, address)
    assert code == 552
    assert _count(db, m.Lead) == leads


def _sign_in(client) -> None:
    form = client.get("/web/login").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
    answer = client.post(
        "/web/login",
        data={"username": "mpadministrator", "password": "leadbook-demo", "csrf": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303
