"""The action methods follow the life cycle and record who did what."""

import pytest
from sqlalchemy import select

from leadbook.models import LeadEvent
from tests.crmcom.conftest import ok, refused

# demo leads: 40 and 5 Pending, 41 and 44 In Progress, 42 Won, 43 Lost, 4 Cancelled
ALLOWED = {
    "start_progress": {"40", "5"},
    "win": {"41", "44"},
    "lost": {"40", "5", "41", "44"},
    "cancel": {"40", "5", "41", "44"},
}


@pytest.mark.parametrize("method", sorted(ALLOWED))
@pytest.mark.parametrize("number", ["40", "41", "42", "43", "4"])
def test_transition_matrix(api, method, number):
    extra = {"lost_reason_identifier": {"name": "Price"}} if method == "lost" else {}
    answer = api.post(method, lead_identifier={"number": number}, **extra)
    if number in ALLOWED[method]:
        assert (
            ok(answer)["life_cycle_state"]
            == {
                "start_progress": "IN_PROGRESS",
                "win": "WON",
                "lost": "LOST",
                "cancel": "CANCELLED",
            }[method]
        )
    else:
        refused(answer, "INVALID_LIFE_CYCLE_STATE", 409)


def test_lost_needs_a_reason(api):
    refused(api.post("lost", lead_identifier={"number": "44"}), "MANDATORY_PARAMETER_MISSING")


def test_a_given_status_must_have_the_target_state(api):
    refused(
        api.post(
            "start_progress", lead_identifier={"number": "40"}, status_identifier={"name": "Won"}
        ),
        "INVALID_VALUE",
    )
    lead = ok(
        api.post(
            "start_progress", lead_identifier={"number": "40"}, status_identifier={"name": "Learn"}
        )
    )
    assert lead["status"]["name"] == "Learn"


def test_win_without_an_account_opens_one_for_the_contact(api):
    lead = ok(
        api.post(
            "create",
            {
                "contact_information": {"action": "NEW", "type": "COMPANY", "company_name": "Acme"},
                "importance": "IMPORTANCE1",
                "priority": 1,
                "type_identifier": {"name": "New Customer"},
                "status_identifier": {"name": "Learn"},
                "source": {"type": "OTHER", "name": "x"},
                "estimated_completion_time": {"time_period_value": 1, "time_period_uot": "WEEKS"},
            },
        )
    )
    won = ok(api.post("win", lead_identifier={"number": lead["number"]}))
    assert won["accounts_receivable"]["account_owner"]["company_name"] == "Acme"
    assert won["contact_information"]["life_cycle_state"] == "FINANCIAL"
    assert won["actual_completion_date"] is not None


def test_win_with_another_contacts_account_is_refused(api):
    refused(
        api.post(
            "win",
            lead_identifier={"number": "41"},
            accounts_receivable={
                "action": "EXISTING",
                "accounts_receivable_identifier": {"number": "ACR0000000026"},
            },
        ),
        "INVALID_VALUE",
    )


def test_every_move_is_in_the_audit_trail(api, db):
    ok(api.post("start_progress", lead_identifier={"number": "40"}))
    ok(api.post("win", lead_identifier={"number": "40"}))
    events = db.scalars(
        select(LeadEvent).where(LeadEvent.lead_number == 40).order_by(LeadEvent.id)
    ).all()
    assert [e.action for e in events] == ["create", "start_progress", "win"]
    assert events[-1].changes["life_cycle_state"] == ["IN_PROGRESS", "WON"]
    assert {e.via for e in events[1:]} == {"crmcom"}
