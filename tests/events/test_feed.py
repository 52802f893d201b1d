"""The change feed over HTTP: typed events with previous/current values, a cursor without
gaps, the visibility rule, and refusals naming the parameter."""

from __future__ import annotations

import pytest

from leadbook.auth import tokens
from leadbook.models import Role, Unit, User
from tests.crmcom.conftest import ok
from tests.crmcom.test_create import BASE

FEED = "/api/events"


def _feed(client, token: str, **params):
    answer = client.get(FEED, params=params, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _tail(client, token):
    return _feed(client, token, after=0, limit=1000)["next"]


def test_a_lead_s_life_as_typed_events(client, api, token):
    start = _tail(client, token)
    number = ok(api.post("create", BASE, fields_set="number"))["number"]
    ident = {"number": number}
    ok(api.post("update", lead_identifier=ident, priority=5, description="hot"))
    ok(api.post("update", lead_identifier=ident, assigned_to={"user_identifier": None}))
    ok(api.post("start_progress", lead_identifier=ident))
    gone = client.delete(f"/leads/{number}.xml", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 200
    page = _feed(client, token, after=start)
    events = page["events"]
    assert [e["type"] for e in events] == [
        "lead.created",
        "lead.updated",
        "lead.updated",
        "lead.assigned",
        "lead.state_changed",
        "lead.deleted",
    ]
    assert [e["cursor"] for e in events] == list(range(start + 1, start + 7))
    assert page["next"] == start + 6 and all(e["lead_number"] == int(number) for e in events)
    created, updated, _, assigned, moved, deleted = events
    assert created["data"]["lead"]["status"] == "Reach"
    assert created["data"]["actor"] == {
        "username": "mpadministrator",
        "user_id": created["data"]["actor"]["user_id"],
        "face": "crmcom",
        "unit": created["data"]["actor"]["unit"],
    }
    assert updated["data"]["changes"]["priority"] == {"previous": 2, "current": 5}
    assert updated["data"]["changes"]["description"] == {"previous": None, "current": "hot"}
    assert assigned["data"]["from"]["user"] == "mpadministrator"
    assert assigned["data"]["to"]["user"] is None
    assert moved["data"]["from"] == {"life_cycle_state": "PENDING", "status": "Reach"}
    assert moved["data"]["to"]["life_cycle_state"] == "IN_PROGRESS"
    assert deleted["id"] == f"evt_{start + 6}" and deleted["timestamp"].endswith("Z")


def test_pages_filters_and_cursor(client, api, token):
    start = _tail(client, token)
    for _ in range(3):
        ok(api.post("create", BASE))
    first = _feed(client, token, after=start, limit=2)
    assert len(first["events"]) == 2 and first["more"]
    second = _feed(client, token, after=first["next"], limit=2)
    assert [e["cursor"] for e in second["events"]] == [start + 3] and not second["more"]
    only = _feed(client, token, after=start, type="lead.deleted,lead.state_changed")
    assert only["events"] == [] and only["next"] == start
    typed = _feed(client, token, after=start, lead_type="New Customer", type="lead.created")
    assert len(typed["events"]) == 3
    assert _feed(client, token, after=start, lead_type="Software Purchase")["events"] == []


@pytest.mark.parametrize(
    "params, field, status",
    [
        ({"after": "abc"}, "after", 422),
        ({"after": "-1"}, "after", 422),
        ({"limit": "0"}, "limit", 422),
        ({"limit": "1001"}, "limit", 422),
        ({"type": "lead.exploded"}, "type", 422),
        ({"lead_type": "No Such Type"}, "lead_type", 404),
        ({"cursor": "3"}, "cursor", 422),
    ],
)
def test_bad_parameters_are_refused_naming_them(client, token, params, field, status):
    answer = client.get(FEED, params=params, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["field"] == field


def test_no_credentials_no_feed(client, demo):
    assert client.get(FEED).status_code == 401
    assert client.get(FEED, headers={"X-Api-Key": "nope"}).status_code == 401


def test_each_caller_reads_only_the_leads_it_may_see(client, db, api, token):
    unit = db.query(Unit).filter_by(name="Sales Unit").one()
    sam = User(username="sam_feed", role=Role.SALES, unit=unit)
    db.add(sam)
    db.flush()
    key = tokens.issue_api_key(db, sam, label="feed")
    db.commit()
    start = _tail(client, token)
    mine = ok(api.post("create", BASE, assigned_to={"user_identifier": {"username": "sam_feed"}}))
    ok(api.post("create", BASE))
    seen = client.get(FEED, params={"after": start}, headers={"X-Api-Key": key}).json()
    assert [e["lead_number"] for e in seen["events"]] == [int(mine["number"])]
    assert len(_feed(client, token, after=start)["events"]) == 2
