"""Lead duplicates and merge over the admin API: demo leads 40 and 41 (New Customer, one
contact) are listed as a pair; merging adds 41's sets to 40, closes 41 and points every
face's read of it to 40; refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leadbook.auth import tokens
from leadbook.models import FeedEvent, Group, Lead, LeadCompetitor, LeadMerge, Role, Unit, User
from tests.capture.conftest import ADMIN
from tests.crmcom.conftest import ok, refused

LEADS = "/api/admin/duplicates/leads"


def add(kind: str, **identifier) -> list[dict]:
    return [{"action": "add", f"{kind}_identifier": identifier}]


@pytest.fixture
def pair(api) -> tuple[int, int]:
    """Leads 40 (Competitor 1) and 41 (Competitors 1 and 2, team member x_poulli)."""
    ok(
        api.post(
            "update",
            lead_identifier={"number": "40"},
            competitors_set=add("competitor", name="Competitor 1"),
        )
    )
    both = add("competitor", name="Competitor 1") + add("competitor", name="Competitor 2")
    users = add("user", username="x_poulli")
    ok(api.post("update", lead_identifier={"number": "41"}, competitors_set=both, users_set=users))
    return 40, 41


def merge(client, survivor, merged, headers=ADMIN):
    body = {"survivor": survivor, "merged": merged}
    return client.post(f"{LEADS}/merge", json=body, headers=headers)


def undo(client, merged, headers=ADMIN):
    return client.post(f"{LEADS}/undo", json={"merged": merged}, headers=headers)


def sets_of(api, number: int) -> tuple[list[str], list[str]]:
    fields = "number,competitors_set,users_set"
    lead = ok(api.get("show", lead_identifier=f"number={number}", fields_set=fields))
    competitors = [row["competitor"]["name"] for row in lead["competitors_set"]]
    return competitors, [row["user"]["username"] for row in lead["users_set"]]


def stored(db) -> tuple:
    """What a refused request must leave as it was."""
    db.rollback()
    db.expire_all()
    leads = db.execute(select(Lead.number, Lead.version, Lead.merged_into_id).order_by(Lead.number))
    return (
        list(leads),
        db.scalar(select(func.count()).select_from(LeadCompetitor)),
        db.scalar(select(func.count()).select_from(LeadMerge)),
        db.scalar(select(func.count()).select_from(FeedEvent)),
    )


@pytest.fixture
def people(db, demo) -> dict[str, dict[str, str]]:
    """Bearer headers of a manager of Sales Unit (sees 40 and 41), a manager of another
    group's unit (sees neither) and a sales user of Sales Unit."""
    sales = db.scalar(select(Unit).where(Unit.name == "Sales Unit"))
    other = Unit(name="Elsewhere", group=db.scalar(select(Group).where(Group.name == "CSR Group")))
    found = {}
    for name, role, unit in (
        ("boss", Role.MANAGER, sales),
        ("olga", Role.MANAGER, other),
        ("sam", Role.SALES, sales),
    ):
        user = User(username=name, role=role, unit=unit)
        db.add(user)
        db.flush()
        found[name] = {"Authorization": f"Bearer {tokens.issue(db, user, ttl_seconds=None)}"}
    db.commit()
    return found


def test_the_pair_is_listed(client, pair):
    rows = client.get(LEADS, headers=ADMIN).json()
    shown = [(r["older"]["number"], r["newer"]["number"], r["reason"]) for r in rows]
    assert (40, 41, "same_contact") in shown


def test_pairs_are_only_of_leads_the_caller_sees(client, pair, people):
    rows = client.get(LEADS, headers=people["olga"]).json()
    assert 40 not in {n for r in rows for n in (r["older"]["number"], r["newer"]["number"])}
    rows = client.get(LEADS, headers=people["boss"]).json()
    assert (40, 41) in [(r["older"]["number"], r["newer"]["number"]) for r in rows]


def test_deleting_the_survivor_deletes_what_was_merged_into_it(client, db, pair):
    assert merge(client, 40, 41).status_code == 200
    assert client.delete("/leads/40.xml", headers=ADMIN).status_code == 200
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Lead).where(Lead.number.in_((40, 41)))) == 0
    assert db.scalar(select(func.count()).select_from(LeadMerge)) == 0


def test_merge_adds_the_sets_and_points_reads_to_the_survivor(client, api, pair):
    answer = merge(client, 40, 41)
    assert answer.status_code == 200, answer.text
    assert answer.json()["survivor"] == 40 and answer.json()["merged"] == 41
    assert sets_of(api, 40) == (["Competitor 1", "Competitor 2"], ["x_poulli"])
    message = refused(api.get("show", lead_identifier="number=41"), "CONFLICT", 409)
    assert "merged into lead 40" in message
    xml = client.get("/leads/41.xml", headers=ADMIN, follow_redirects=False)
    assert xml.status_code == 303 and xml.headers["location"] == "/leads/40.xml"
    assert b"<merged_into>40</merged_into>" in xml.content
    listed = ok(api.get("get_in_progress", fields_set="number"))
    assert {"number": "41"} not in listed
    rows = client.get(LEADS, headers=ADMIN).json()
    assert 41 not in {n for r in rows for n in (r["older"]["number"], r["newer"]["number"])}


def test_a_merged_lead_is_closed_to_writes(client, api, pair):
    assert merge(client, 40, 41).status_code == 200
    refused(api.post("update", lead_identifier={"number": "41"}, description="x"), "CONFLICT", 409)
    refused(api.post("cancel", lead_identifier={"number": "41"}), "CONFLICT", 409)
    body = b"<lead><description>changed</description></lead>"
    put = client.put("/leads/41.xml", content=body, headers=ADMIN)
    assert put.status_code == 409 and b"merged into lead 40" in put.content


def test_the_history_of_the_merged_lead_is_the_survivor_s(client, pair):
    assert merge(client, 40, 41).status_code == 200
    events = client.get("/api/admin/leads/40/events", headers=ADMIN).json()
    assert {e["lead_number"] for e in events} == {40, 41}
    mine = [e for e in events if e["action"] == "merge_lead"]
    assert mine[-1]["changes"]["merged_lead"] == [None, 41]
    theirs = [e for e in events if e["action"] == "merged_into"]
    assert theirs[-1]["lead_number"] == 41 and theirs[-1]["changes"]["survivor"] == [None, 40]


def test_merge_and_undo_are_feed_events(client, pair):
    start = client.get("/api/events", params={"after": 0, "limit": 1000}, headers=ADMIN).json()
    assert merge(client, 40, 41).status_code == 200
    assert undo(client, 41).status_code == 200
    page = client.get("/api/events", params={"after": start["next"]}, headers=ADMIN).json()
    typed = [(e["type"], e["lead_number"], e["data"].get("merged")) for e in page["events"]]
    assert typed == [("lead.merged", 40, 41), ("lead.unmerged", 40, 41)]
    assert page["events"][0]["data"]["survivor"] == 40


def test_a_manager_who_sees_both_may_merge(client, pair, people):
    assert merge(client, 40, 41, people["boss"]).status_code == 200


# case → survivor, merged, caller, what is done first, status, field named
REFUSALS = {
    "itself": (40, 40, "admin", None, 422, "merged"),
    "into a merged lead": (41, 37, "admin", "merge", 409, "survivor"),
    "a merged lead": (37, 41, "admin", "merge", 409, "merged"),
    "unknown": (40, 999_999, "admin", None, 404, "merged"),
    "another type": (40, 36, "admin", None, 422, "merged"),  # 36: Software Purchase
    "closed": (40, 41, "admin", "cancel", 409, "merged"),
    "unseen": (40, 41, "olga", None, 404, "survivor"),
    "sales": (40, 41, "sam", None, 403, None),
    "not a number": (40, "forty-one", "admin", None, 422, None),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_bad_merges_are_refused_and_change_nothing(client, api, db, pair, people, case):
    survivor, merged, caller, first, code, field = REFUSALS[case]
    if first == "merge":
        assert merge(client, 40, 41).status_code == 200
    elif first == "cancel":
        ok(api.post("cancel", lead_identifier={"number": "41"}))
    headers = ADMIN if caller == "admin" else people[caller]
    asked = {"survivor": survivor, "merged": merged}
    before = stored(db)
    answer = client.post(f"{LEADS}/merge", json=asked, headers=headers)
    assert answer.status_code == code, answer.text
    error = answer.json()["error"]
    assert error["message"]
    if field:
        assert error["field"] == field
    assert stored(db) == before


def test_undo_restores_both_leads(client, api, pair):
    before = sets_of(api, 40), sets_of(api, 41)
    assert merge(client, 40, 41).status_code == 200
    answer = undo(client, 41)
    assert answer.status_code == 200 and answer.json()["undone_at"]
    assert (sets_of(api, 40), sets_of(api, 41)) == before
    listed = ok(api.get("get_in_progress", fields_set="number"))
    assert {"number": "41"} in listed


def test_undo_takes_off_only_what_the_merge_added_and_is_still_there(client, api, pair):
    assert merge(client, 40, 41).status_code == 200
    off = [
        {"action": "remove", "lead_user_identifier": {"user_identifier": {"username": "x_poulli"}}}
    ]
    ok(api.post("update", lead_identifier={"number": "40"}, users_set=off))
    assert undo(client, 41).status_code == 200
    assert sets_of(api, 40) == (["Competitor 1"], [])


def test_undo_is_refused_after_the_window(client, api, db, pair, configure, clock_at):
    configure(MERGE_UNDO_SECONDS="60")
    clock_at(0)
    assert merge(client, 40, 41).status_code == 200
    clock_at(61)
    before = stored(db)
    answer = undo(client, 41)
    assert answer.status_code == 409 and answer.json()["error"]["field"] == "merged"
    assert "within 60 seconds" in answer.json()["error"]["message"]
    assert stored(db) == before
    clock_at(60)
    assert undo(client, 41).status_code == 200


def test_undo_waits_for_a_later_merge_into_the_survivor(client, db, pair):
    assert merge(client, 40, 41).status_code == 200
    assert merge(client, 40, 37).status_code == 200
    before = stored(db)
    answer = undo(client, 41)
    assert (
        answer.status_code == 409 and "undo that merge first" in answer.json()["error"]["message"]
    )
    assert stored(db) == before
    assert undo(client, 37).status_code == 200
    assert undo(client, 41).status_code == 200


@pytest.mark.parametrize("merged, code", [(41, 409), (999_999, 404)])
def test_undo_of_a_lead_not_merged_is_refused(client, db, pair, merged, code):
    before = stored(db)
    assert undo(client, merged).status_code == code
    assert stored(db) == before
