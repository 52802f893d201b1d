"""A lead type's targets over the admin API (config apply's rules): set, exported, refused
when out of bounds or naming a status the type lacks, with nothing stored."""

from __future__ import annotations

from sqlalchemy import func, select

from leadbook import models as m


def _thresholds(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(m.RottingThreshold))


def test_targets_are_set_and_read_back(client, db, bearer):
    admin = bearer("admin")
    row = {"name": "New Customer", "first_response_minutes": 120, "rotting_days": {"Reach": 3}}
    answer = client.put("/api/admin/lead_types", json=[row], headers=admin)
    assert answer.status_code == 200, answer.text
    read = client.get("/api/admin/lead_types/New Customer", headers=admin).json()
    assert read["first_response_minutes"] == 120 and read["rotting_days"] == {"Reach": 3}
    row["rotting_days"] = {"Reach": None}
    client.put("/api/admin/lead_types", json=[row], headers=admin)
    assert _thresholds(db) == 0


def test_bad_targets_are_refused(client, db, bearer):
    admin = bearer("admin")
    for row in (
        {"name": "New Customer", "first_response_minutes": 0},
        {"name": "New Customer", "rotting_days": {"Interest": 3}},  # not a New Customer status
        {"name": "New Customer", "rotting_days": {"Reach": -1}},
        {"name": "New Customer", "rotting_days": {"Reach": "soon"}},
    ):
        answer = client.put("/api/admin/lead_types", json=[row], headers=admin)
        assert answer.status_code == 422, (row, answer.text)
    assert _thresholds(db) == 0
    refused = client.put("/api/admin/lead_types", json=[], headers=bearer("sam"))
    assert refused.status_code == 403
    db.rollback()
    minutes = select(m.LeadType.first_response_minutes).where(m.LeadType.name == "New Customer")
    assert db.scalar(minutes) is None
