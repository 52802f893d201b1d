"""The lead list's text search and the lead form's contact picker (suggestions, and the
server finding the contact typed, without JavaScript)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from leadbook.models import Contact, Lead


@pytest.fixture
def contacts(db, reference):
    """Wilhelmina Quaxworth (Acme Holdings), and two contacts called Tom Smith."""
    wil = Contact(
        type="PERSON",
        number="CI000101",
        first_name="Wilhelmina",
        last_name="Quaxworth",
        company_name="Acme Holdings",
        email="wil@acme.example",
        phone="+357 22 123456",
    )
    twins = [
        Contact(type="PERSON", number=f"CI00020{i}", first_name="Tom", last_name="Smith")
        for i in (1, 2)
    ]
    db.add_all([wil, *twins])
    db.commit()
    return wil


@pytest.fixture
def people(contacts, make_lead):
    """Two leads of Wilhelmina Quaxworth, one of Jane Doe (numbers 1 to 3)."""
    wil = contacts
    return {
        "leads": [
            make_lead(topic="Roof", contact=wil),
            make_lead(topic="Solar panels", contact=wil),
            make_lead(topic="Windows"),
        ],
        "wil": wil,
    }


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="[^"]*/web/leads/(\d+)"', html)]


@pytest.mark.parametrize("typed", ["Quaxworth", "acme holdings", "wil@acme", "22 123456"])
def test_the_list_finds_leads_by_their_contact(signed_in, people, typed):
    answer = signed_in.get("/web/leads", params={"q": typed})
    assert answer.status_code == 200
    assert set(_numbers(answer.text)) == {1, 2}
    assert "2 leads" in answer.text


def test_a_search_matching_more_than_the_cap_says_so(signed_in, people, monkeypatch):
    from leadbook.domain import queries

    monkeypatch.setattr(queries, "COUNTED", 1)
    answer = signed_in.get("/web/leads", params={"q": "quaxworth", "size": 1})
    assert '<p class="count">1+ leads</p>' in answer.text
    assert "Page 1 of 1+" in answer.text and 'rel="next"' in answer.text
    assert "2 leads" not in answer.text
    exact = signed_in.get("/web/leads", params={"q": "roof"})
    assert "1 lead<" in exact.text  # at the cap: counted exactly


def test_the_list_puts_the_lead_of_a_number_first(signed_in, people, db):
    people["leads"][0].topic = "Quote 3 sent"  # holds "3": found too, after lead 3
    db.commit()
    answer = signed_in.get("/web/leads", params={"q": "3", "sort": "number"})
    assert _numbers(answer.text)[:2] == [3, 1]


def test_the_list_says_what_it_searches(signed_in, people):
    answer = signed_in.get("/web/leads")
    assert 'placeholder="number, name, company, email, phone, topic"' in answer.text
    nothing = signed_in.get("/web/leads", params={"q": "Quaxworth Windows"})
    assert "0 leads" in nothing.text  # every word must match, in one lead


def test_suggestions_are_options_naming_the_contacts(signed_in, people):
    answer = signed_in.get("/web/contacts/suggest", params={"contact": "quax"})
    assert answer.status_code == 200
    assert 'role="option"' in answer.text
    assert 'data-value="Wilhelmina Quaxworth (CI000101)"' in answer.text
    assert "Smith" not in answer.text
    twins = signed_in.get("/web/contacts/suggest", params={"contact": "tom smith"})
    assert twins.text.count('role="option" id=') == 2
    none = signed_in.get("/web/contacts/suggest", params={"contact": "zzqx"})
    assert "No contact matches “zzqx”" in none.text and "data-value" not in none.text
    assert "role=" not in signed_in.get("/web/contacts/suggest", params={"contact": " "}).text


def test_suggestions_need_a_session(client, people):
    answer = client.get("/web/contacts/suggest", params={"contact": "quax"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("/web/login")


def test_the_form_offers_a_text_input_not_every_contact(signed_in, people):
    page = signed_in.get("/web/leads/new").text
    assert '<select name="contact"' not in page
    assert 'role="combobox"' in page and 'name="contact"' in page
    assert "combobox.js" in page and "Quaxworth" not in page


def _post(signed_in, csrf_of, reference, contact: str):
    csrf = csrf_of(signed_in.get("/web/leads/new").text)
    data = {
        "csrf": csrf,
        "type": reference["type"].id,
        "importance": "IMPORTANCE2",
        "priority": "2",
        "topic": "Typed contact",
        "contact": contact,
        "source_type": "WEBSITE",
        "source_name": "site",
    }
    return signed_in.post("/web/leads/new", data=data, follow_redirects=False)


@pytest.mark.parametrize(
    "typed",
    [
        "Wilhelmina Quaxworth (CI000101)",  # as a suggestion fills it in
        "wilhelmina   QUAXWORTH",
        "ci000101",
        "WIL@acme.example",
        "+357 22 123456",
    ],
)
def test_a_contact_typed_without_javascript_is_found(
    signed_in, csrf_of, reference, contacts, db, typed
):
    answer = _post(signed_in, csrf_of, reference, typed)
    assert answer.status_code == 303
    number = int(answer.headers["location"].rsplit("/", 1)[1])
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == number))
    assert lead.contact_id == contacts.id


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Nobody Atall", "Contact: no contact is called “Nobody Atall”"),
        ("Tom Smith", "Contact: several contacts are called “Tom Smith”"),
    ],
)
def test_a_contact_naming_none_or_several_is_refused_at_the_field(
    signed_in, csrf_of, reference, contacts, db, typed, message
):
    leads = db.scalar(select(func.count(Lead.id)))
    answer = _post(signed_in, csrf_of, reference, typed)
    assert answer.status_code == 422
    note = re.search(r'<span class="field-error" id="contact-error">([^<]*)</span>', answer.text)
    assert note and note.group(1).startswith(message)
    assert 'aria-invalid="true"' in answer.text and "contact-hint contact-error" in answer.text
    assert f'value="{typed}"' in answer.text  # shown again as typed
    db.expire_all()
    assert db.scalar(select(func.count(Lead.id))) == leads


def test_the_edit_form_shows_the_contact_and_keeps_it(signed_in, csrf_of, people, db):
    lead = people["leads"][0]
    page = signed_in.get(f"/web/leads/{lead.number}/edit").text
    assert 'value="Wilhelmina Quaxworth (CI000101)"' in page
    fields = dict(re.findall(r'<input[^>]* name="(\w+)"[^>]* value="([^"]*)"', page))
    # the post carries the contact as shown: unchanged, so left alone
    keep = {name: fields[name] for name in ("csrf", "version", "contact")}
    answer = signed_in.post(
        f"/web/leads/{lead.number}/edit",
        data={**keep, "topic": "Roof, renamed"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    db.expire_all()
    again = db.get(Lead, lead.id)
    assert again.topic == "Roof, renamed" and again.contact_id == people["wil"].id
