"""The duplicates page: lead pairs and contact candidates side by side, merging either
with a plain form, undoing a lead merge, a merged lead's page sending to its survivor."""

from __future__ import annotations

import pytest

from leadbook.models import Contact, DuplicateCandidate, Lead, Role, User
from tests.web.conftest import PASSWORD

PAGE = "/web/duplicates"


@pytest.fixture
def twins(make_lead):
    """Two open leads of one contact."""
    ada = Contact(type="PERSON", first_name="Ada", last_name="Lovelace", number="CI9001")
    return make_lead("PENDING", topic="Older", contact=ada), make_lead("PENDING", contact=ada)


def _post(client, csrf_of, path, **data):
    csrf = csrf_of(client.get(PAGE).text)
    return client.post(path, data={**data, "csrf": csrf}, follow_redirects=False)


def test_the_page_lists_the_pair_and_is_in_the_nav(signed_in, twins):
    older, newer = twins
    html = signed_in.get(PAGE).text
    assert 'href="/web/duplicates"' in html
    pairs = html.split('id="leads"')[1].split('id="contacts"')[0]
    assert f'href="/web/leads/{older.number}"' in pairs and "same contact" in pairs
    assert f'value="{newer.number}"' in pairs


def test_merge_then_undo_without_javascript(signed_in, csrf_of, db, twins):
    older, newer = twins
    merged = _post(
        signed_in,
        csrf_of,
        PAGE + "/leads/merge",
        survivor=str(older.number),
        merged=str(newer.number),
    )
    assert merged.status_code == 303
    html = signed_in.get(merged.headers["location"]).text
    assert f"Lead {newer.number} was merged into lead {older.number}." in html
    assert 'action="/web/duplicates/leads/undo"' in html
    shown = signed_in.get(f"/web/leads/{newer.number}", follow_redirects=False)
    assert shown.status_code == 303
    assert shown.headers["location"] == f"/web/leads/{older.number}?merged={newer.number}"
    survivor = signed_in.get(shown.headers["location"]).text
    assert f"Lead {newer.number} was merged into this lead." in survivor
    undone = _post(signed_in, csrf_of, PAGE + "/leads/undo", merged=str(newer.number))
    assert undone.status_code == 303
    assert signed_in.get(f"/web/leads/{newer.number}").status_code == 200
    db.expire_all()
    assert db.get(Lead, newer.id).merged_into_id is None


def test_a_refused_merge_shows_the_page_with_the_reason(signed_in, csrf_of, twins):
    older, _ = twins
    n = str(older.number)
    answer = _post(signed_in, csrf_of, PAGE + "/leads/merge", survivor=n, merged=n)
    assert answer.status_code == 422
    assert "cannot be merged into itself" in answer.text
    again = _post(signed_in, csrf_of, PAGE + "/leads/merge", survivor=n, merged="abc")
    assert again.status_code == 422 and "must be a lead number" in again.text


def test_a_contact_merge_from_the_page(signed_in, csrf_of, db, make_lead):
    kept = make_lead(contact=Contact(type="PERSON", last_name="Quimby", number="CI9101"))
    gone = make_lead(contact=Contact(type="PERSON", last_name="Quimby", number="CI9102"))
    db.add(DuplicateCandidate(contact=gone.contact, candidate=kept.contact, reason="same_name"))
    db.commit()
    html = signed_in.get(PAGE).text.split('id="contacts"')[1]
    assert "CI9102" in html and "same name" in html
    answer = _post(signed_in, csrf_of, PAGE + "/contacts/merge", survivor="CI9101", merged="CI9102")
    assert answer.status_code == 303
    assert (
        "Contact CI9102 was merged into contact CI9101."
        in signed_in.get(answer.headers["location"]).text
    )
    db.expire_all()
    assert db.get(Lead, gone.id).contact.number == "CI9101"


def test_a_sales_user_may_not_open_the_page(client, db, reference, login):
    db.add(User(username="sam", role=Role.SALES, password_hash=reference["user"].password_hash))
    db.commit()
    assert login("sam", PASSWORD).status_code == 303
    answer = client.get(PAGE)
    assert answer.status_code == 403
    assert 'href="/web/duplicates"' not in client.get("/web/leads").text
