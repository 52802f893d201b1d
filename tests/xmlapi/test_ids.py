"""Integer ids: every user, contact and category has one from the flush that creates it,
one kind's number never stands for another kind's entity, and reading them never writes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, event

from leadbook.models import Contact, LeadCategory, User
from leadbook.xmlapi import ids
from tests.xmlapi.conftest import AUTH


def test_an_entity_has_its_number_from_the_flush_that_creates_it(db):
    ada, bob = User(username="ada"), User(username="bob")
    firm = Contact(type="COMPANY", company_name="Initech")
    db.add_all([ada, bob, firm, LeadCategory(name="Fleet")])
    db.flush()
    first = ids.numbers_for(db, ids.USER, [ada.id, bob.id, None])
    assert set(first) == {ada.id, bob.id} and len(set(first.values())) == 2
    assert first[ada.id] < first[bob.id]  # in the order they were added
    assert ids.number_for(db, ids.CONTACT, firm.id) > 0
    db.commit()
    assert ids.numbers_for(db, ids.USER, [bob.id, ada.id]) == first
    assert ids.entity_for(db, ids.USER, first[ada.id]) == ada.id
    assert ids.number_for(db, ids.USER, None) == 0


def test_a_number_belongs_to_one_kind(db):
    ada = User(username="ada")
    db.add(ada)
    db.flush()
    number = ids.number_for(db, ids.USER, ada.id)
    assert ids.entity_for(db, ids.CONTACT, number) is None
    assert ids.number_for(db, ids.CONTACT, ada.id) == 0


NUMBERED = rb"<(manager_id|contact_id|firm_id|product_category_id)>(\d+)<"


@pytest.fixture
def writes():
    """The INSERT, UPDATE and DELETE statements sent to any database while the test runs."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if re.match(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", statement, re.IGNORECASE):
            sent.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield sent
    event.remove(Engine, "before_cursor_execute", count)


def _numbers(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return re.findall(NUMBERED, answer.content)


def test_reading_leads_as_xml_writes_nothing_and_shows_the_same_numbers(client, demo, writes):
    listed = _numbers(client.get("/leads.xml", params={"per_page": 250}, headers=AUTH))
    shown = _numbers(client.get("/leads/19.xml", headers=AUTH))
    assert writes == []
    assert sum(int(n) > 0 for _, n in listed) > 40 and any(int(n) > 0 for _, n in shown)
    assert _numbers(client.get("/leads.xml", params={"per_page": 250}, headers=AUTH)) == listed
    assert _numbers(client.get("/leads/19.xml", headers=AUTH)) == shown
