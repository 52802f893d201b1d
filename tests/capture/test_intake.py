"""POST /intake/{key}: a web form's submission becomes a lead, from allowed origins only,
once per person within the window; robots, floods and bad bodies change nothing."""

import pytest
from sqlalchemy import func, select

from leadbook.models import Lead
from tests.capture.conftest import ADMIN, SITE


def _post(client, key, origin=SITE, **fields):
    return client.post(f"/intake/{key}", data=fields, headers={"Origin": origin})


def _leads(db) -> int:
    db.rollback()
    return db.scalar(select(func.count(Lead.id)))


def _lead(db, number) -> Lead:
    db.rollback()
    db.expire_all()
    return db.scalar(select(Lead).where(Lead.number == number))


def test_a_form_post_makes_a_lead_with_its_attribution(client, form, db):
    answer = _post(
        client,
        form,
        name="Hopper",
        given="Grace",
        mail="grace@navy.test",
        message="Call me",
        utm_source="newsletter",
        utm_campaign="autumn",
        gclid="abc",
        landing_url=f"{SITE}/offer?utm_source=newsletter",
        ignored="x",
    )
    assert answer.status_code == 201 and answer.headers["access-control-allow-origin"] == SITE
    lead = _lead(db, answer.json()["lead"])
    assert lead.contact.display_name == "Grace Hopper" and lead.description == "Call me"
    assert (lead.source_type, lead.source_name, lead.created_by_user.username) == (
        "WEBSITE",
        "shop",
        "mariosm",
    )
    assert lead.attribution == {
        "utm_source": "newsletter",
        "utm_campaign": "autumn",
        "gclid": "abc",
        "landing_url": f"{SITE}/offer?utm_source=newsletter",
    }


def test_json_from_the_page_and_its_preflight(client, form, db):
    preflight = client.options(
        f"/intake/{form}",
        headers={"Origin": SITE, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == SITE
    answer = client.post(
        f"/intake/{form}", json={"name": "Lamarr", "mail": "hedy@x.test"}, headers={"Origin": SITE}
    )
    assert answer.status_code == 201
    assert _lead(db, answer.json()["lead"]).contact.last_name == "Lamarr"


def test_the_same_person_twice_within_minutes_is_one_lead(client, form, db):
    first = _post(client, form, name="Hopper", mail="grace@twice.test")
    again = _post(client, form, name="Hopper", mail="GRACE@twice.test")
    assert again.status_code == 200
    assert again.json() == {"lead": first.json()["lead"], "created": False}


def test_a_thank_you_page_for_an_html_form(client, form, db):
    client.put(
        "/api/admin/intake_forms",
        json=[{"key": form, "redirect_url": f"{SITE}/thanks"}],
        headers=ADMIN,
    )
    answer = client.post(
        f"/intake/{form}",
        data={"name": "Hopper"},
        headers={"Origin": SITE},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{SITE}/thanks"


def test_an_unknown_form_is_404(client, demo, db):
    before = _leads(db)
    answer = _post(client, "no-such-form", name="Hopper")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "NOT_FOUND"
    assert _leads(db) == before


@pytest.mark.parametrize("origin", ["https://evil.example.test", ""])
def test_an_origin_not_allowed_is_403_without_cors(client, form, db, origin):
    before = _leads(db)
    answer = _post(client, form, origin=origin, name="Hopper")
    assert answer.status_code == 403 and "access-control-allow-origin" not in answer.headers
    assert _leads(db) == before


def test_a_filled_honeypot_stores_nothing(client, form, db):
    before = _leads(db)
    answer = _post(client, form, name="Bot", leadbook_hp="http://spam.test")
    assert answer.status_code == 202 and "lead" not in answer.json()
    assert _leads(db) == before


@pytest.mark.parametrize(
    "body, kind, code",
    [
        (b"\xff\xfe", "application/x-www-form-urlencoded", 422),
        (b"[1, 2]", "application/json", 422),
        (b'{"name": 1}', "application/json", 422),
        (b"name=x", "text/plain", 422),
        (b"name=" + b"x" * 20000, "application/x-www-form-urlencoded", 413),
        (b"mail=only@mail.test", "application/x-www-form-urlencoded", 400),
    ],
)
def test_bad_bodies_are_refused_and_store_nothing(client, form, db, body, kind, code):
    before = _leads(db)
    answer = client.post(
        f"/intake/{form}", content=body, headers={"Origin": SITE, "Content-Type": kind}
    )
    assert answer.status_code == code and answer.json()["error"]["message"]
    assert answer.headers["access-control-allow-origin"] == SITE
    assert _leads(db) == before


def test_a_flood_from_one_address_is_429(client, form, db):
    answers = [_post(client, form, name="Flood", mail=f"f{i}@x.test") for i in range(11)]
    assert [a.status_code for a in answers[:10]] == [201] * 10
    assert answers[10].status_code == 429 and int(answers[10].headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    "change, words",
    [
        ({"field_map": {"name": "salary"}}, "'salary' is not one of"),
        ({"allowed_origins": ["https://x.test/page"]}, "list of origins"),
        ({"lead_type": "No Such Type"}, "no lead_types row"),
        ({"double_submit_minutes": "soon"}, "double_submit_minutes: Input should be a valid int"),
    ],
)
def test_bad_forms_are_refused(client, form, change, words):
    answer = client.put("/api/admin/intake_forms", json=[{"key": form, **change}], headers=ADMIN)
    assert answer.status_code == 422 and words in answer.json()["error"]["message"]
