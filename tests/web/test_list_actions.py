"""The lead list's saved views bar, bulk actions (each lead through the domain's own write,
refused ones unchanged and reported) and inline edit cells."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from leadbook.auth.passwords import hash_password
from leadbook.models import Lead, LeadEvent, LostReason, Role, SavedView, Unit, User
from tests.web.conftest import PASSWORD


def _post(client, csrf_of, url, data, **kwargs):
    csrf = csrf_of(client.get("/web/leads").text)
    return client.post(url, data={"csrf": csrf, **data}, follow_redirects=False, **kwargs)


def _lead(db, number) -> Lead:
    db.expire_all()
    return db.scalar(select(Lead).where(Lead.number == number))


def _events(db, number, action):
    found = select(LeadEvent).where(LeadEvent.lead_number == number, LeadEvent.action == action)
    return list(db.scalars(found))


@pytest.fixture
def sam(db, reference):
    """A sales user (no group: sees the leads assigned to him), able to log in."""
    user = User(username="sam", password_hash=hash_password(PASSWORD), role=Role.SALES)
    db.add(user)
    db.commit()
    return user


# saved views ------------------------------------------------------------------------------


def test_save_a_view_from_the_list_see_it_above_the_list_and_delete_it(
    signed_in, csrf_of, make_lead, db
):
    make_lead("PENDING", topic="Alpha")
    page = signed_in.get("/web/leads", params={"state": "PENDING", "sort": "priority"}).text
    assert "<title>Leads · Leadbook</title>" in page
    assert page.count('src="/web/static/leadlist.js"') == 1
    assert 'name="query" value="state=PENDING&amp;sort=priority"' in page
    saved = _post(
        signed_in,
        csrf_of,
        "/web/views",
        {"name": "Hot leads", "query": "state=PENDING&sort=priority"},
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/web/leads?state=PENDING&sort=priority"
    page = signed_in.get(saved.headers["location"]).text
    assert re.search(
        r'href="/web/leads\?state=PENDING&amp;sort=priority" aria-current="true">Hot leads', page
    )
    view = db.scalar(select(SavedView))
    gone = _post(signed_in, csrf_of, f"/web/views/{view.id}/delete", {"back": "state=PENDING"})
    assert gone.status_code == 303 and gone.headers["location"] == "/web/leads?state=PENDING"
    db.expire_all()
    assert db.scalar(select(SavedView)) is None


def test_a_refused_view_shows_the_message_next_to_the_name_and_saves_nothing(
    signed_in, csrf_of, db
):
    assert _post(signed_in, csrf_of, "/web/views", {"name": "Mine", "query": ""}).status_code == 303
    again = _post(signed_in, csrf_of, "/web/views", {"name": "mine", "query": "state=WON"})
    assert again.status_code == 409
    assert (
        'id="view-name-error" role="alert">You already have a view named &#39;mine&#39;'
        in again.text
    )
    assert 'aria-invalid="true" aria-describedby="view-name-error"' in again.text
    bad = _post(signed_in, csrf_of, "/web/views", {"name": "", "query": "state=WON"})
    assert bad.status_code == 422 and "View name must be 1 to 80 characters" in bad.text
    db.expire_all()
    assert [v.name for v in db.scalars(select(SavedView))] == ["Mine"]


def test_saving_a_view_needs_the_csrf_token(signed_in, db):
    answer = signed_in.post("/web/views", data={"name": "X", "query": ""})
    assert answer.status_code == 403
    assert db.scalar(select(SavedView)) is None


# bulk actions -----------------------------------------------------------------------------


def test_bulk_move_changes_those_it_may_and_reports_each_refusal(
    client, login, csrf_of, make_lead, sam, db
):
    make_lead("PENDING", topic="Mine open", assigned_user=sam)
    make_lead("WON", topic="Mine won", assigned_user=sam)
    make_lead("PENDING", topic="Not mine")  # sam does not see it
    assert login("sam").status_code == 303
    answer = _post(
        client,
        csrf_of,
        "/web/leads/bulk",
        {"action": "start_progress", "numbers": ["1", "2", "3"], "back": "sort=priority"},
    )
    assert answer.status_code == 200
    report = answer.text.split('class="notice bulk-report"')[1].split("</div>")[0]
    assert "1 lead started; 2 refused:" in report
    assert "#2: Lead 2 is Won; only Pending leads can be started" in report
    assert "#3: There is no lead number 3" in report
    assert _lead(db, 1).life_cycle_state == "IN_PROGRESS"
    assert _lead(db, 2).life_cycle_state == "WON" and _lead(db, 3).life_cycle_state == "PENDING"
    assert len(_events(db, 1, "start_progress")) == 1
    assert _events(db, 2, "start_progress") == _events(db, 3, "start_progress") == []


def test_bulk_lose_needs_a_reason_and_changes_nothing_without_one(
    signed_in, csrf_of, make_lead, db
):
    make_lead("PENDING")
    refused = _post(signed_in, csrf_of, "/web/leads/bulk", {"action": "lose", "numbers": "1"})
    assert refused.status_code == 422 and "Choose the reason the leads were lost" in refused.text
    reason = db.scalar(select(LostReason).where(LostReason.name == "Price"))
    lost = _post(
        signed_in,
        csrf_of,
        "/web/leads/bulk",
        {"action": "lose", "numbers": "1", "lost_reason": reason.id},
    )
    assert "1 lead lost" in lost.text
    assert _lead(db, 1).life_cycle_state == "LOST" and _lead(db, 1).lost_reason_id == reason.id


def test_bulk_assign_through_the_update_with_select_all_on_the_page(
    signed_in, csrf_of, make_lead, sam, db
):
    make_lead("PENDING")
    make_lead("IN_PROGRESS")
    lost_owner = make_lead("LOST").assigned_user_id
    unit = Unit(name="North")
    db.add(unit)
    db.commit()
    assert lost_owner != sam.id
    answer = _post(
        signed_in,
        csrf_of,
        "/web/leads/bulk",
        {
            "action": "assign",
            "page_numbers": "1,2,3",
            "assigned_user": sam.id,
            "assigned_unit": unit.id,
        },
    )
    assert "2 leads assigned; 1 refused:" in answer.text
    assert "#3: Lead 3 is LOST; only Pending or In Progress leads can be updated" in answer.text
    assert [_lead(db, n).assigned_user_id for n in (1, 2, 3)] == [sam.id, sam.id, lost_owner]
    assert _lead(db, 1).assigned_unit_id == unit.id
    assert len(_events(db, 1, "assign")) == len(_events(db, 2, "assign")) == 1
    assert _events(db, 3, "assign") == []


def test_bulk_delete_asks_first_then_deletes_what_the_user_may(
    client, login, csrf_of, make_lead, sam, db
):
    make_lead("PENDING", topic="Sams lead", assigned_user=sam)
    assert login("sam").status_code == 303
    ask = _post(client, csrf_of, "/web/leads/bulk", {"action": "delete", "numbers": "1"})
    assert ask.status_code == 200 and "Delete 1 lead?" in ask.text and "Sams lead" in ask.text
    assert 'name="confirmed" value="yes"' in ask.text and _lead(db, 1) is not None
    done = _post(
        client, csrf_of, "/web/leads/bulk", {"action": "delete", "numbers": "1", "confirmed": "yes"}
    )
    assert "0 leads deleted; 1 refused:" in done.text
    assert (
        "Only an administrator or a manager of the lead&#39;s owning group may delete it"
        in done.text
    )
    assert _lead(db, 1) is not None and _events(db, 1, "delete") == []


def test_an_administrator_deletes_in_bulk_with_an_audit_event_each(
    signed_in, csrf_of, make_lead, db
):
    make_lead("PENDING")
    make_lead("WON")
    done = _post(
        signed_in,
        csrf_of,
        "/web/leads/bulk",
        {"action": "delete", "numbers": ["1", "2"], "confirmed": "yes"},
    )
    assert "2 leads deleted" in done.text and "refused" not in done.text
    assert _lead(db, 1) is None and _lead(db, 2) is None
    assert len(_events(db, 1, "delete")) == len(_events(db, 2, "delete")) == 1


def test_bulk_post_needs_the_csrf_token_and_changes_nothing(signed_in, make_lead, db):
    make_lead("PENDING")
    answer = signed_in.post(
        "/web/leads/bulk", data={"action": "cancel", "numbers": "1"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert _lead(db, 1).life_cycle_state == "PENDING"


def test_bulk_export_of_the_chosen_rows_and_of_the_filtered_list(
    client, login, csrf_of, make_lead, sam, db
):
    make_lead("PENDING", topic="One", assigned_user=sam, target_amount=12.5)
    make_lead("WON", topic="Two", assigned_user=sam)
    make_lead("PENDING", topic="Hidden")
    assert login("sam").status_code == 303
    chosen = _post(client, csrf_of, "/web/leads/bulk", {"action": "export", "numbers": ["2", "3"]})
    assert chosen.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(chosen.text)))
    assert [(r["number"], r["topic"]) for r in rows] == [("2", "Two")]
    listed = client.get("/web/leads/export", params={"state": "PENDING"})
    rows = list(csv.DictReader(io.StringIO(listed.text)))
    assert [(r["number"], r["topic"], r["target_amount"]) for r in rows] == [("1", "One", "12.5")]
    assert 'filename="leads.csv"' in listed.headers["content-disposition"]


def test_bulk_refuses_no_rows_and_unknown_actions(signed_in, csrf_of, make_lead):
    make_lead("PENDING")
    none = _post(signed_in, csrf_of, "/web/leads/bulk", {"action": "win"})
    assert none.status_code == 422 and "Choose at least one lead" in none.text
    odd = _post(signed_in, csrf_of, "/web/leads/bulk", {"action": "fly", "numbers": "1"})
    assert odd.status_code == 422 and "Unknown bulk action" in odd.text


# inline edit ------------------------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_a_cell_turns_into_a_form_and_saving_renders_the_row(signed_in, csrf_of, make_lead, db):
    make_lead("PENDING", priority=3, target_amount=1200)
    page = signed_in.get("/web/leads").text
    assert 'href="/web/leads/1/edit" hx-get="/web/leads/1/cell/priority?edit=true"' in page
    form = signed_in.get("/web/leads/1/cell/target_amount?edit=true", headers=HTMX).text
    assert 'name="target_amount" inputmode="decimal" size="10" value="1200"' in form
    version = _lead(db, 1).version
    saved = _post(
        signed_in,
        csrf_of,
        "/web/leads/1/cell/priority",
        {"priority": "1", "version": str(version)},
        headers=HTMX,
    )
    assert saved.status_code == 200 and saved.text.lstrip().startswith("<tr")
    assert re.search(r'id="cell-1-priority" class="inline"><a [^>]*>1<', saved.text)
    assert _lead(db, 1).priority == 1 and _lead(db, 1).version == version + 1
    assert len(_events(db, 1, "update")) == 1


def test_a_bad_value_is_shown_in_the_cell_and_changes_nothing(signed_in, csrf_of, make_lead, db):
    make_lead("PENDING", target_amount=1200)
    version = _lead(db, 1).version
    refused = _post(
        signed_in,
        csrf_of,
        "/web/leads/1/cell/target_amount",
        {"target_amount": "lots", "version": str(version)},
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert (
        'value="lots" aria-invalid="true" aria-describedby="cell-1-target_amount-error"'
        in refused.text
    )
    assert "Amount must be a number, not &#39;lots&#39;" in refused.text
    assert _lead(db, 1).target_amount == 1200 and _lead(db, 1).version == version


def test_a_stale_version_is_a_conflict_in_the_cell(signed_in, csrf_of, make_lead, db):
    make_lead("PENDING", priority=3)
    version = _lead(db, 1).version
    stale = _post(
        signed_in,
        csrf_of,
        "/web/leads/1/cell/priority",
        {"priority": "2", "version": str(version - 1)},
        headers=HTMX,
    )
    assert stale.status_code == 409 and f"is at version {version}, not {version - 1}" in stale.text
    assert f'name="version" value="{version}"' in stale.text  # saving again overwrites knowingly
    assert _lead(db, 1).priority == 3 and _lead(db, 1).version == version


def test_closed_leads_and_unknown_fields_are_not_edited_in_place(signed_in, make_lead):
    make_lead("WON")
    page = signed_in.get("/web/leads").text
    assert "/web/leads/1/cell/" not in page
    assert signed_in.get("/web/leads/1/cell/priority?edit=true").status_code == 409
    assert signed_in.get("/web/leads/1/cell/topic?edit=true").status_code == 404


def test_without_htmx_a_saved_cell_redirects_to_the_lead(signed_in, csrf_of, make_lead, db):
    make_lead("PENDING", priority=3)
    version = _lead(db, 1).version
    saved = _post(
        signed_in,
        csrf_of,
        "/web/leads/1/cell/expected_completion_date",
        {"expected_completion_date": "2031-05-06", "version": str(version)},
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/web/leads/1"
    assert _lead(db, 1).expected_completion_date.date().isoformat() == "2031-05-06"


def test_cancelling_shows_the_cell_again_and_the_form_carries_the_rows_version(
    signed_in, make_lead, db
):
    make_lead("PENDING", priority=4)
    version = _lead(db, 1).version
    form = signed_in.get("/web/leads/1/cell/priority?edit=true", headers=HTMX).text
    assert form.lstrip().startswith('<td id="cell-1-priority"')
    assert f'name="version" value="{version}"' in form and "<option selected>4</option>" in form
    shown = signed_in.get("/web/leads/1/cell/priority", headers=HTMX).text
    assert "<form" not in shown and re.search(
        r'id="cell-1-priority" class="inline"><a [^>]*>4<', shown
    )
