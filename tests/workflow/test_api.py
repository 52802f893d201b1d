"""The workflow's JSON face over HTTP: notes, activities, the timeline; refusals as JSON
naming the field, with nothing stored; visibility and roles as on every face."""

from __future__ import annotations

from sqlalchemy import func, select

from leadbook import models as m
from leadbook.auth import tokens

URL = "/api/leads/40"


def _count(db, model) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def test_notes_and_activities_round_trip(client, bearer, frozen):
    sam = bearer("sam")
    note = client.post(f"{URL}/notes", json={"text": "Wants a demo"}, headers=sam)
    assert note.status_code == 201 and note.json()["author"] == "sam"
    body = {"kind": "call", "subject": "Follow up", "due_at": "2031-03-05T10:00:00Z"}
    call = client.post(f"{URL}/activities", json=body, headers=sam)
    assert call.status_code == 201, call.text
    assert call.json()["due_at"] == "2031-03-05T10:00:00" and call.json()["assignee"] == "sam"
    done = client.post(f"{URL}/activities/{call.json()['id']}/done", headers=sam)
    assert done.json()["done"] is True and done.json()["done_at"] == "2031-03-04T09:00:00"
    again = client.post(f"{URL}/activities/{call.json()['id']}/done", headers=sam)
    assert again.status_code == 409 and again.json()["error"]["code"] == "INVALID_LIFE_CYCLE_STATE"
    changed = client.patch(f"{URL}/notes/{note.json()['id']}", json={"text": "Demo"}, headers=sam)
    assert changed.json()["text"] == "Demo"
    timeline = client.get(f"{URL}/timeline", headers=sam).json()
    assert [e["kind"] for e in timeline[:2]] == ["activity", "note"]
    assert timeline[0]["title"] == "Call: Follow up" and timeline[1]["who"] == "Sam"
    gone = client.delete(f"{URL}/notes/{note.json()['id']}", headers=sam)
    assert gone.status_code == 204
    assert client.get(f"{URL}/notes", headers=sam).json() == []


def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(client, db, bearer):
    sam = bearer("sam")
    for body, field in [
        ({}, "text"),
        ({"text": "x", "colour": "red"}, "colour"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 10_001}, "text"),
    ]:
        answer = client.post(f"{URL}/notes", json=body, headers=sam)
        assert answer.status_code in (400, 422), answer.text
        assert answer.json()["error"]["field"] == field
    for body, field in [
        ({"kind": "lunch", "subject": "x", "due_at": "2031-01-01T00:00:00"}, "kind"),
        ({"kind": "call", "subject": "x", "due_at": "soon"}, "due_at"),
        ({"kind": "call", "subject": "x"}, "due_at"),
        ({"kind": "call", "subject": "x", "due_at": "0001-01-01T00:00:00"}, "due_at"),
        (
            {"kind": "call", "subject": "x", "due_at": "2031-01-01T00:00", "assignee": "nob"},
            "assignee",
        ),
    ]:
        answer = client.post(f"{URL}/activities", json=body, headers=sam)
        assert 400 <= answer.status_code < 500, answer.text
        assert answer.json()["error"]["field"] == field, answer.text
    answer = client.get("/api/leads/abc/notes", headers=sam)
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "number"
    assert client.get("/api/leads/99999999999/notes", headers=sam).status_code == 404
    assert _count(db, m.Note) == _count(db, m.Activity) == 0


def test_roles_and_visibility(client, db, bearer):
    rita, otto, sam = bearer("rita"), bearer("otto"), bearer("sam")
    assert client.get(f"{URL}/timeline", headers=rita).status_code == 200
    refused = client.post(f"{URL}/notes", json={"text": "x"}, headers=rita)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "PERMISSION_DENIED"
    unseen = client.post(f"{URL}/notes", json={"text": "x"}, headers=otto)
    assert unseen.status_code == 404
    assert client.get(f"{URL}/timeline", headers=otto).status_code == 404
    assert client.get(f"{URL}/notes").status_code == 401
    note = client.post(f"{URL}/notes", json={"text": "mine"}, headers=sam).json()
    other = client.patch(f"{URL}/notes/{note['id']}", json={"text": "x"}, headers=bearer("boss"))
    assert other.status_code == 403
    assert client.delete(f"{URL}/notes/{note['id']}", headers=bearer("admin")).status_code == 204
    assert _count(db, m.Note) == 0


def test_a_web_api_key_works_too(client, db, users):
    key = tokens.issue_api_key(db, users["sam"])
    db.commit()
    added = client.post(f"{URL}/notes", json={"text": "by key"}, headers={"X-Api-Key": key})
    assert added.status_code == 201 and added.json()["author"] == "sam"
    assert client.get(f"{URL}/notes", headers={"X-Api-Key": "nope"}).status_code == 401
