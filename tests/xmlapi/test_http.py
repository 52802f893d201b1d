"""The XML resource API over HTTP, on the demo data."""

import base64
from xml.etree.ElementTree import fromstring

import pytest
from sqlalchemy import func, select

from leadbook.models import Lead, LeadStatus, LeadType
from tests.crmcom.conftest import SEED_TOKEN

AUTH = {"Authorization": "Basic " + base64.b64encode(b"mpadministrator:leadbook-demo").decode()}
NEW = b"""<?xml version="1.0" encoding="UTF-8"?>
<lead>
  <client_name>Globex</client_name>
  <topic>Fleet of 40 vans</topic>
  <importance>4</importance>
  <value>125000.50</value>
  <value_date>31-12-2030</value_date>
  <confidence_pct>40</confidence_pct>
  <description>Met at the fair</description>
</lead>"""


def _fields(response) -> dict[str, str]:
    root = fromstring(response.content)
    return {child.tag: child.text or "" for child in root}


def _errors(response) -> list[str]:
    root = fromstring(response.content)
    assert root.tag == "errors", response.text
    return [e.text for e in root]


def _count(db) -> int:
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    return db.scalar(select(func.count(Lead.id)))


@pytest.fixture
def created(client, demo):
    answer = client.post("/leads.xml", content=NEW, headers=AUTH)
    assert answer.status_code == 201, answer.text
    return _fields(answer)


def test_create_then_read_back(client, created):
    assert created["client_name"] == "Globex" and created["topic"] == "Fleet of 40 vans"
    assert created["importance"] == "4" and created["value"] == "125000.5"
    assert created["value_date"] == "31-12-2030" and created["progress_id"] == "459"
    shown = client.get(f"/leads/{created['id']}.xml", headers=AUTH)
    assert shown.headers["content-type"].startswith("application/xml")
    assert _fields(shown) == created


def test_business_file_prefix_and_token_auth(client, created):
    answer = client.get(f"/123456/leads/{created['id']}.xml?token={SEED_TOKEN}")
    assert answer.status_code == 200 and _fields(answer)["id"] == created["id"]
    bearer = {"Authorization": f"Bearer {SEED_TOKEN}"}
    assert client.get("/leads.xml", headers=bearer).status_code == 200


def test_list_is_paged(client, demo, db):
    first = fromstring(client.get("/leads.xml?page=1&per_page=5", headers=AUTH).content)
    leads = first.findall("lead")
    assert len(leads) == 5
    assert first.find("pagination/current_page").text == "1"
    assert int(first.find("pagination/total_pages").text) == -(-_count(db) // 5)
    second = fromstring(client.get("/leads.xml?page=2&per_page=5", headers=AUTH).content)
    ids = [int(lead.find("id").text) for lead in leads + second.findall("lead")]
    assert ids == sorted(ids) and len(set(ids)) == 10


def test_put_changes_fields_and_moves_steps(client, created, db):
    url = f"/leads/{created['id']}.xml"
    body = b"<lead><confidence_pct>75</confidence_pct><progress_id>460</progress_id></lead>"
    answer = _fields(client.put(url, content=body, headers=AUTH))
    assert answer["confidence_pct"] == "75" and answer["progress_id"] == "460"
    won = _fields(
        client.put(url, content=b"<lead><progress_id>469</progress_id></lead>", headers=AUTH)
    )
    assert won["progress_id"] == "469" and won["is_engaged"] == "1"


def test_a_get_body_put_back_changes_nothing(client, created, db):
    url = f"/leads/{created['id']}.xml"
    original = client.get(url, headers=AUTH).content
    assert client.put(url, content=original, headers=AUTH).status_code == 200
    lead = db.scalar(select(Lead).where(Lead.number == int(created["id"])))
    assert lead.version == 1


def test_finer_steps_use_statuses_coded_for_them(client, created, db):
    lead_type = db.scalar(select(LeadType).where(LeadType.name == "3-Play Mall Campaign"))
    lead_type.statuses = [s for s in lead_type.statuses if s.alternative_code != "STEP462"]
    db.commit()
    url = f"/leads/{created['id']}.xml"
    moved = client.put(url, content=b"<lead><progress_id>461</progress_id></lead>", headers=AUTH)
    assert _fields(moved)["progress_id"] == "461"
    status = db.scalar(select(LeadStatus).where(LeadStatus.alternative_code == "STEP461"))
    assert db.scalar(select(Lead.status_id).where(Lead.number == int(created["id"]))) == status.id
    missing = client.put(url, content=b"<lead><progress_id>462</progress_id></lead>", headers=AUTH)
    assert missing.status_code == 422 and "STEP462" in _errors(missing)[0]


def test_lost_needs_a_reason_and_final_states_are_final(client, created):
    url = f"/leads/{created['id']}.xml"
    answer = client.put(url, content=b"<lead><progress_id>470</progress_id></lead>", headers=AUTH)
    assert answer.status_code == 400 and "lost_reason" in _errors(answer)[0]
    lost = client.put(
        url,
        content=b"<lead><progress_id>470</progress_id><lost_reason>Price</lost_reason></lead>",
        headers=AUTH,
    )
    assert _fields(lost)["lost_reason"] == "Price"
    again = client.put(url, content=b"<lead><topic>x</topic></lead>", headers=AUTH)
    assert again.status_code == 409


def test_win_from_pending_is_refused(client, created):
    url = f"/leads/{created['id']}.xml"
    answer = client.put(url, content=b"<lead><progress_id>469</progress_id></lead>", headers=AUTH)
    assert answer.status_code == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<lead><client_name>A</client_name>", 400),
        (b"", 400),
        (b"<firm><client_name>A</client_name></firm>", 400),
        (b'<!DOCTYPE lead [<!ENTITY x "y">]><lead><client_name>&x;</client_name></lead>', 400),
        (b"<lead><client_name>A</client_name><importance>9</importance></lead>", 422),
        (b"<lead><client_name>A</client_name><value>lots</value></lead>", 422),
        (b"<lead><client_name>A</client_name><value_date>31-02-2030</value_date></lead>", 422),
        (b"<lead><client_name>A</client_name><manager_id>999</manager_id></lead>", 422),
        (b"<lead><topic>No client</topic></lead>", 400),
    ],
)
def test_bad_bodies_are_refused_and_change_nothing(client, demo, db, body, status):
    before = _count(db)
    answer = client.post("/leads.xml", content=body, headers=AUTH)
    assert answer.status_code == status, answer.text
    assert _errors(answer) and answer.headers["X-Error-Code"]
    assert _count(db) == before


def test_authentication_is_required(client, demo):
    answer = client.get("/leads.xml")
    assert answer.status_code == 401 and "Basic" in answer.headers["WWW-Authenticate"]
    wrong = {"Authorization": "Basic " + base64.b64encode(b"mpadministrator:nope").decode()}
    assert client.get("/leads.xml", headers=wrong).status_code == 401


def test_delete_answers_with_the_lead_then_it_is_gone(client, created):
    url = f"/leads/{created['id']}.xml"
    answer = client.delete(url, headers=AUTH)
    assert answer.status_code == 200 and _fields(answer)["id"] == created["id"]
    assert client.get(url, headers=AUTH).status_code == 404
    assert client.delete(url, headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="UTF-7"?><lead><client_name>A</client_name></lead>',
        b'<?xml version="1.0" encoding="x-unknown"?><lead><client_name>A</client_name></lead>',
        b"<lead><client_name>A&#0;</client_name></lead>",
        b"<lead><client_name>&#xD800;</client_name></lead>",
        b"<lead><client_name>\xed\xa0\x80</client_name></lead>",
        b"<lead><client_name>A</client_name><value>1e400</value></lead>",
        b"<lead><client_name>A</client_name><value>9999999999999999999999</value></lead>",
        b"<lead><client_name>A</client_name><manager_id>99999999999</manager_id></lead>",
        b"<lead><client_name>A</client_name><project_id>99999999999999999999</project_id></lead>",
        b"<lead><client_name>A</client_name><value_date>01-01-99999</value_date></lead>",
        b"<lead><client_name>A</client_name><importance>99999999999999999999</importance></lead>",
    ],
)
def test_unreadable_values_are_4xx_and_change_nothing(client, demo, db, body):
    before = _count(db)
    answer = client.post("/leads.xml", content=body, headers=AUTH)
    assert 400 <= answer.status_code < 500 and _errors(answer)
    assert _count(db) == before


@pytest.mark.parametrize("username", ["mpadmin\x00istrator", "\x00"])
@pytest.mark.parametrize("password", ["leadbook-demo", ""])
def test_credentials_holding_nul_are_401(client, demo, username, password):
    basic = base64.b64encode(f"{username}:{password}".encode()).decode()
    answer = client.get("/leads.xml", headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 401 and _errors(answer)
    answer = client.get("/leads.xml", params={"token": username})
    assert answer.status_code == 401 and _errors(answer)
