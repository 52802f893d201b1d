"""leads/create: mandatory and conditional parameters; a refusal stores nothing."""

import pytest
from sqlalchemy import func, select

from leadbook.models import Contact, Lead, LeadType
from tests.crmcom.conftest import ok, refused

BASE = {
    "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Ada"},
    "importance": "IMPORTANCE3",
    "priority": 2,
    "type_identifier": {"name": "New Customer"},
    "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},
    "source": {"type": "WEBSITE", "name": "leadbook.test"},
}


def _counts(db):
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    return db.scalar(select(func.count(Lead.id))), db.scalar(select(func.count(Contact.id)))


def test_minimal_create_takes_the_type_defaults(api):
    lead = ok(api.post("create", BASE))
    assert lead["status"]["name"] == "Reach" and lead["life_cycle_state"] == "PENDING"
    assert lead["category"]["name"] == "New Customer"
    assert lead["assigned_to"]["user"]["username"] == "mpadministrator"
    assert lead["log_information"]["created_by_user"]["username"] == "mpadministrator"


def test_numbers_are_sequential(api):
    first = int(ok(api.post("create", BASE))["number"])
    second = int(ok(api.post("create", BASE))["number"])
    assert second == first + 1


def test_expected_date_gives_the_estimate(api):
    body = {k: v for k, v in BASE.items() if k != "estimated_completion_time"}
    lead = ok(
        api.post(
            "create",
            body,
            start_date="2026-01-01T10:00:00",
            expected_completion_date="2026-03-01T10:00:00",
        )
    )
    assert lead["estimated_completion_time"] == {
        "time_period_value": 2,
        "time_period_uot": "MONTHS",
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"importance": None}, "MANDATORY_PARAMETER_MISSING"),
        ({"priority": 7}, "INVALID_VALUE"),
        ({"priority": "high"}, "INVALID_VALUE"),
        ({"importance": "IMPORTANCE9"}, "INVALID_VALUE"),
        ({"probability_to_win": 101}, "INVALID_VALUE"),
        ({"target_amount": -5}, "INVALID_VALUE"),
        ({"type_identifier": {"name": "Nope"}}, "NOT_FOUND"),
        ({"type_identifier": {"name": "New Customer", "id": "x"}}, "INVALID_IDENTIFIER"),
        ({"status_identifier": {"name": "Interest"}}, "INVALID_VALUE"),
        ({"status_identifier": {"name": "Won"}}, "INVALID_LIFE_CYCLE_STATE"),
        ({"source": {"type": "WEBSITE"}}, "MANDATORY_PARAMETER_MISSING"),
        ({"source": {"type": "COMMUNICATIONS"}}, "MANDATORY_PARAMETER_MISSING"),
        ({"source": {"type": "CARRIER_PIGEON", "name": "x"}}, "INVALID_VALUE"),
        ({"expected_completion_date": "2030-01-01T00:00:00"}, "INVALID_VALUE"),
        ({"estimated_completion_time": {"time_period_value": 2}}, "MANDATORY_PARAMETER_MISSING"),
        ({"start_date": "yesterday"}, "INVALID_VALUE"),
        ({"contact_information": {"action": "NEW", "type": "ROBOT"}}, "INVALID_VALUE"),
        (
            {"contact_information": {"action": "NEW", "type": "COMPANY"}},
            "MANDATORY_PARAMETER_MISSING",
        ),
        ({"contact_information": {"action": "EXISTING"}}, "MANDATORY_PARAMETER_MISSING"),
        ({"users_set": [{"user_identifier": {"username": "ghost"}}]}, "NOT_FOUND"),
        (
            {
                "competitors_set": [
                    {"competitor_identifier": {"name": "Competitor 1"}},
                    {"competitor_identifier": {"name": "Competitor 1"}},
                ]
            },
            "INVALID_VALUE",
        ),
        ({"colour": "blue"}, "INVALID_VALUE"),
    ],
)
def test_bad_create_is_refused_and_stores_nothing(api, db, change, code):
    before = _counts(db)
    refused(api.post("create", {**BASE, **change}), code)
    assert _counts(db) == before


def test_missing_contact_information_is_refused(api):
    body = {k: v for k, v in BASE.items() if k != "contact_information"}
    refused(api.post("create", body), "MANDATORY_PARAMETER_MISSING")


def test_email_is_mandatory_when_the_type_emails_new_leads(api, db):
    db.scalar(select(LeadType).where(LeadType.name == "New Customer")).email_on_create = True
    db.commit()
    message = refused(api.post("create", BASE), "MANDATORY_PARAMETER_MISSING")
    assert "contact_email" in message
    ok(api.post("create", BASE, contact_email="ada@leadbook.test"))


def test_existing_customer_contact_brings_its_account(api):
    body = {
        **BASE,
        "contact_information": {
            "action": "EXISTING",
            "contact_information_identifier": {"id_number": "21312312"},
        },
    }
    lead = ok(api.post("create", body))
    assert lead["accounts_receivable"]["number"] == "ACR0000000201"
    assert lead["contact_information"]["life_cycle_state"] == "FINANCIAL"


def test_an_account_of_another_contact_is_refused(api):
    body = {**BASE, "accounts_receivable_identifier": {"number": "ACR0000000201"}}
    refused(api.post("create", body), "INVALID_VALUE")


def test_malformed_json_is_refused_in_the_envelope(client, token):
    answer = client.post(
        "/crmapi/rest/v2/leads/create",
        content=b'{"token": "x",,,',
        headers={"Content-Type": "application/json"},
    )
    refused(answer, "INVALID_REQUEST", 400)


def test_fields_set_applies_to_writes(api):
    lead = ok(api.post("create", BASE, fields_set="number,life_cycle_state"))
    assert set(lead) == {"number", "life_cycle_state"}
