"""Idempotency-Key on leads/create and on intake: a repeat gets the first answer and
creates nothing; the same key with another request, or after expiry, does not replay."""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from leadbook.models import IdempotentAnswer, Lead
from tests.capture.conftest import SITE
from tests.capture.test_duplicates import BASE
from tests.crmcom.conftest import API, refused

BODY = {**BASE, "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Kay"}}


def _create(client, token, key, body=BODY):
    return client.post(
        f"{API}/leads/create", json={"token": token, **body}, headers={"Idempotency-Key": key}
    )


def _leads(db) -> int:
    db.rollback()
    return db.scalar(select(func.count(Lead.id)))


def test_a_repeated_create_answers_the_first_lead(client, token, db):
    first = _create(client, token, "order-1")
    before = _leads(db)
    again = _create(client, token, "order-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert _leads(db) == before


def test_the_key_with_another_request_is_refused(client, token, db):
    _create(client, token, "order-2")
    before = _leads(db)
    other = {**BODY, "priority": 3}
    assert "another request" in refused(_create(client, token, "order-2", other), "CONFLICT", 409)
    assert _leads(db) == before


def test_an_expired_key_creates_again(client, token, db):
    first = _create(client, token, "order-3").json()["data"]["number"]
    db.execute(update(IdempotentAnswer).values(expires_at=datetime(2000, 1, 1)))
    db.commit()
    assert _create(client, token, "order-3").json()["data"]["number"] != first


def test_a_repeated_form_post_is_one_answer(client, form, db):
    headers = {"Origin": SITE, "Idempotency-Key": "submit-1"}
    # another person each time: without the key these would be two leads
    first = client.post(f"/intake/{form}", data={"name": "Kay"}, headers=headers)
    before = _leads(db)
    again = client.post(f"/intake/{form}", data={"name": "Kay"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["access-control-allow-origin"] == SITE
    assert _leads(db) == before
    assert db.scalar(select(IdempotentAnswer.expires_at)) > datetime.utcnow() + timedelta(hours=23)
