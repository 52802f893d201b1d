"""Every seed field that can be written reads back as written, on create and on update."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook.models import Contact, LeadCategory
from leadbook.xmlapi import ids
from tests.xmlapi.conftest import AUTH, errors_of, fields_of, lead_row

WRITTEN = {
    "topic": "Fleet of 40 vans",
    "importance": "0",
    "value": "125000.5",
    "value_date": "05-03-2029",
    "confidence_pct": "40",
    "project_id": "77",
    "description": "Met at the fair",
    "learning_on_customer": "Budget in Q3",
    "learning_on_sales_tools": "Brochure too long",
    "learning_on_products": "Too expensive",
}


def _body(values: dict[str, str]) -> bytes:
    return ("<lead>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items()) + "</lead>").encode()


def _number(db, kind: str, row) -> int:
    number = ids.number_for(db, kind, row.id)
    db.commit()
    return number


def _firm(db, name: str) -> int:
    return _number(db, ids.CONTACT, db.scalar(select(Contact).where(Contact.company_name == name)))


def test_every_plain_field_reads_back_on_create_and_update(client, post_lead):
    created = post_lead(_body({"client_name": "Globex", **WRITTEN}).decode())
    assert {k: created[k] for k in WRITTEN} == WRITTEN
    changed = {k: v + "1" if k in ("topic", "description") else v for k, v in WRITTEN.items()}
    changed |= {"importance": "5", "value": "7.25", "value_date": "31-12-2031", "project_id": "0"}
    url = f"/leads/{created['id']}.xml"
    answer = fields_of(client.put(url, content=_body(changed), headers=AUTH))
    assert {k: answer[k] for k in changed} == changed
    assert fields_of(client.get(url, headers=AUTH)) == answer


@pytest.mark.parametrize("flag", ["0", "1"])
def test_is_engaged_reads_back_as_written_on_create_and_update(client, post_lead, db, flag):
    answer = client.post(
        "/leads.xml", content=_body({"client_name": "Hooli", "is_engaged": flag}), headers=AUTH
    )
    assert answer.status_code == 201 and fields_of(answer)["is_engaged"] == flag
    url = f"/leads/{fields_of(answer)['id']}.xml"
    assert fields_of(client.get(url, headers=AUTH))["is_engaged"] == flag
    other = "0" if flag == "1" else "1"
    changed = client.put(url, content=_body({"is_engaged": other}), headers=AUTH)
    assert fields_of(changed)["is_engaged"] == other
    assert fields_of(client.get(url, headers=AUTH))["is_engaged"] == other


def test_is_engaged_not_written_follows_the_client(client, post_lead, db):
    created = post_lead("<lead><client_name>Initech</client_name></lead>")
    assert created["is_engaged"] == "0"  # a new client is a prospect


def test_is_engaged_1_reads_back_for_a_customer(client, post_lead, db):
    won = post_lead(
        "<lead><client_name>Umbrella</client_name><progress_id>460</progress_id></lead>"
    )
    client.put(
        f"/leads/{won['id']}.xml",
        content=b"<lead><progress_id>469</progress_id></lead>",
        headers=AUTH,
    )
    firm = fields_of(client.get(f"/leads/{won['id']}.xml", headers=AUTH))["firm_id"]
    again = post_lead(f"<lead><firm_id>{firm}</firm_id><is_engaged>1</is_engaged></lead>")
    assert again["is_engaged"] == "1" and again["client_name"] == "Umbrella"


def test_category_0_on_create_reads_back_0(post_lead, db):
    created = post_lead(
        "<lead><client_name>Globex</client_name><product_category_id>0</product_category_id></lead>"
    )
    assert created["product_category_id"] == "0"
    assert lead_row(db, created["id"]).category is None


def test_a_category_reads_back(client, post_lead, db):
    number = _number(
        db, ids.CATEGORY, db.scalar(select(LeadCategory).where(LeadCategory.name == "New Customer"))
    )
    created = post_lead(
        f"<lead><client_name>Globex</client_name><product_category_id>{number}</product_category_id></lead>"
    )
    assert created["product_category_id"] == str(number)
    url = f"/leads/{created['id']}.xml"
    answer = client.put(
        url, content=b"<lead><product_category_id>0</product_category_id></lead>", headers=AUTH
    )
    assert fields_of(answer)["product_category_id"] == "0"


def test_put_moves_the_lead_to_another_firm_person_or_client_name(client, post_lead, db):
    created = post_lead("<lead><client_name>Globex</client_name></lead>")
    url = f"/leads/{created['id']}.xml"
    firm = _firm(db, "Antonis Trading Ltd")
    answer = fields_of(client.put(url, content=_body({"firm_id": str(firm)}), headers=AUTH))
    assert answer["firm_id"] == str(firm) and answer["client_name"] == "Antonis Trading Ltd"
    person = _number(
        db, ids.CONTACT, db.scalar(select(Contact).where(Contact.number == "CI000002"))
    )
    body = _body({"contact_id": str(person), "firm_id": "0"})
    answer = fields_of(client.put(url, content=body, headers=AUTH))
    assert answer["contact_id"] == str(person) and answer["firm_id"] == "0"
    assert answer["client_name"] == "Kokos Panagi"
    answer = fields_of(client.put(url, content=_body({"client_name": "Soylent"}), headers=AUTH))
    assert answer["client_name"] == "Soylent" and answer["contact_id"] == "0"
    assert lead_row(db, created["id"]).contact.company_name == "Soylent"
    assert fields_of(client.get(url, headers=AUTH)) == answer


@pytest.mark.parametrize(
    "body",
    [
        "<lead><firm_id>0</firm_id></lead>",
        "<lead><firm_id>999999</firm_id></lead>",
        "<lead><contact_id>1</contact_id><firm_id>2</firm_id></lead>",
        "<lead><client_name>Other</client_name><firm_id>{firm}</firm_id></lead>",
    ],
)
def test_contact_changes_that_cannot_read_back_are_refused(client, post_lead, db, body):
    created = post_lead("<lead><client_name>Globex</client_name></lead>")
    firm = _firm(db, "Antonis Trading Ltd")
    answer = client.put(
        f"/leads/{created['id']}.xml", content=body.format(firm=firm).encode(), headers=AUTH
    )
    assert answer.status_code == 422 and errors_of(answer)
    assert lead_row(db, created["id"]).contact.company_name == "Globex"


@pytest.mark.parametrize(
    ("value", "status", "shown"),
    [
        ("999999999999999.999999", 422, None),
        ("0.30000000000000001", 422, None),
        ("123456789012345.5", 200, "123456789012345.5"),
        ("1,50", 200, "1.5"),
    ],
)
def test_amounts_read_back_as_written_or_are_refused(client, demo, db, value, status, shown):
    answer = client.put("/leads/19.xml", content=_body({"value": value}), headers=AUTH)
    assert answer.status_code == status, answer.text
    if shown:
        assert fields_of(answer)["value"] == shown
    # whatever it holds, the lead can still be changed through XML
    again = client.put("/leads/19.xml", content=_body({"topic": "next"}), headers=AUTH)
    assert fields_of(again)["topic"] == "next"
