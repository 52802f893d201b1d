"""The admin API manages reference data; non-admins and bad rows are refused."""

import pytest

from leadbook.auth import tokens
from leadbook.models import User
from tests.crmcom.conftest import SEED_TOKEN

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}


@pytest.fixture
def seller(db, demo):
    user = db.query(User).filter_by(username="x_poulli").one()
    token = tokens.issue(db, user, ttl_seconds=600)
    db.commit()
    return {"Authorization": f"Bearer {token}"}


def test_lists_and_reads_rows(client, demo):
    names = [row["name"] for row in client.get("/api/admin/lead_statuses", headers=ADMIN).json()]
    assert {"Reach", "Learn", "Won", "Lost", "Cancelled"} <= set(names)
    row = client.get("/api/admin/lead_types/New Customer", headers=ADMIN).json()
    assert row["create_status"] == "Reach" and "Learn" in row["statuses"]


def test_put_creates_then_updates(client, demo):
    rows = [{"name": "Negotiation", "alternative_code": "NEG", "life_cycle_state": "IN_PROGRESS"}]
    first = client.put("/api/admin/lead_statuses", json=rows, headers=ADMIN).json()
    assert first["created"] == {"lead_statuses": 1}
    rows[0]["description"] = "Haggling"
    second = client.put("/api/admin/lead_statuses", json=rows, headers=ADMIN).json()
    assert second["updated"] == {"lead_statuses": 1}
    again = client.put("/api/admin/lead_statuses", json=rows, headers=ADMIN).json()
    assert again["unchanged"] == {"lead_statuses": 1}


def test_bad_rows_are_refused(client, demo):
    answer = client.put("/api/admin/units", json=[{"name": "X", "group": "Nope"}], headers=ADMIN)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "INVALID_VALUE"
    assert client.get("/api/admin/units/X", headers=ADMIN).status_code == 404


def test_rows_in_use_cannot_be_deleted(client, demo):
    answer = client.delete("/api/admin/lead_types/New Customer", headers=ADMIN)
    assert answer.status_code == 409
    assert client.get("/api/admin/lead_types/New Customer", headers=ADMIN).status_code == 200
    client.put("/api/admin/competitors", json=[{"name": "Temp Rival"}], headers=ADMIN)
    assert client.delete("/api/admin/competitors/Temp Rival", headers=ADMIN).status_code == 200
    assert client.get("/api/admin/competitors/Temp Rival", headers=ADMIN).status_code == 404


def test_only_admins(client, seller):
    assert client.get("/api/admin/lead_types", headers=seller).status_code == 403
    assert client.get("/api/admin/lead_types").status_code == 401


def test_fastapis_own_refusals_answer_in_the_admin_format(client, demo):
    answer = client.get("/api/admin/leads/abc/events", headers=ADMIN)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "INVALID_VALUE"
    assert answer.json()["error"]["message"].startswith("number: ")
    missing = client.post("/api/admin/units", headers=ADMIN)
    assert missing.status_code == 405 and missing.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ({"is_active": "maybe"}, "users[1].is_active", "valid boolean"),
        ({"role": "king"}, None, "role must be one of"),
        ({"email": ["a@b.c"]}, "users[1].email", "valid string"),
        ({"email": "x" * 201}, "users[1].email", "at most 200 characters"),
        ({"person_name": "a\x00b"}, "users[1].person_name", "NUL character"),
        ({"password": {"plain": "x"}}, "users[1].password", "valid string"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_naming_its_field(client, demo, row, field, reason):
    rows = [{"username": "fine"}, {"username": "zed", **row}]
    answer = client.put("/api/admin/users", json=rows, headers=ADMIN)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "INVALID_VALUE" and reason in error["message"]
    assert error.get("field") == field and (field or "role") in error["message"]
    for username in ("fine", "zed"):
        assert client.get(f"/api/admin/users/{username}", headers=ADMIN).status_code == 404


def test_values_are_stored_as_their_columns_hold_them(client, demo):
    rows = [{"number": 7, "name": "Seven", "hierarchy_level": "7"}]
    assert client.put("/api/admin/privacy_levels", json=rows, headers=ADMIN).status_code == 200
    row = client.get("/api/admin/privacy_levels/7", headers=ADMIN).json()
    assert row["number"] == "7" and row["hierarchy_level"] == 7
