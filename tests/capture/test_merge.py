"""Duplicates (admin API): candidates listed; merging moves the leads to the survivor
with a merge event, and the merged contact then reads as the survivor; a merge into
itself or of a merged contact is refused and changes nothing."""

import pytest
from sqlalchemy import select

from leadbook.models import Contact, Lead
from tests.capture.conftest import ADMIN
from tests.capture.test_duplicates import BASE, _contact_of, _create
from tests.crmcom.conftest import ok


@pytest.fixture
def pair(api, db, configure):
    """Two contacts of one person (flagged), a lead each."""
    configure(ON_DUPLICATE="flag")
    first = _create(api, first_name="Ada", email="ada@merge.test")
    second = _create(api, first_name="Ada", email="ADA@merge.test")
    return _contact_of(db, first).number, _contact_of(db, second).number, ok(second)["number"]


def _merge(client, survivor, merged):
    body = {"survivor": survivor, "merged": merged}
    return client.post("/api/admin/duplicates/merge", json=body, headers=ADMIN)


def test_candidates_are_listed(client, pair):
    rows = client.get("/api/admin/duplicates", headers=ADMIN).json()
    shown = [(r["contact"]["number"], r["candidate"]["number"], r["reason"]) for r in rows]
    assert (pair[1], pair[0], "email") in shown


def test_merge_moves_the_leads_and_the_merged_reads_as_the_survivor(client, api, db, pair):
    survivor, merged, number = pair
    answer = _merge(client, survivor, merged)
    assert answer.status_code == 200 and answer.json()["leads"] == [int(number)]
    db.rollback()
    lead = db.scalar(select(Lead).where(Lead.number == int(number)))
    assert lead.contact.number == survivor
    events = client.get(f"/api/admin/leads/{number}/events", headers=ADMIN).json()
    assert events[-1]["action"] == "merge"
    assert events[-1]["changes"]["merged_contact"] == [merged, survivor]
    existing = {"action": "EXISTING", "contact_information_identifier": {"number": merged}}
    body = {**BASE, "contact_information": existing}
    assert ok(api.post("create", body))["contact_information"]["number"] == survivor
    assert client.get("/api/admin/duplicates", headers=ADMIN).json() == []


@pytest.mark.parametrize("which", ["itself", "merged", "unknown"])
def test_bad_merges_are_refused_and_change_nothing(client, db, pair, which):
    survivor, merged, number = pair
    if which == "merged":
        assert _merge(client, survivor, merged).status_code == 200
        asked, code = (merged, survivor), 409  # into a merged contact
    else:
        asked, code = ((survivor, survivor), 422) if which == "itself" else ((survivor, "X"), 404)
    db.rollback()
    before = [(c.number, c.merged_into_id) for c in db.scalars(select(Contact))]
    leads = [(n, c) for n, c in db.execute(select(Lead.number, Lead.contact_id))]
    answer = _merge(client, *asked)
    assert answer.status_code == code and answer.json()["error"]["message"]
    db.rollback()
    assert [(c.number, c.merged_into_id) for c in db.scalars(select(Contact))] == before
    assert [(n, c) for n, c in db.execute(select(Lead.number, Lead.contact_id))] == leads
