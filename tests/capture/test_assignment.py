"""Assignment rules (admin API): a new lead that names no assignee goes round-robin to
the active users of a unit, or to a fixed user; each assignment is an ``assign`` event."""

import pytest

from tests.crmcom.conftest import SEED_TOKEN, ok

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}
LEAD = {
    "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Turing"},
    "importance": "IMPORTANCE3",
    "priority": 2,
    "type_identifier": {"name": "New Customer"},
    "estimated_completion_time": {"time_period_value": 2, "time_period_uot": "WEEKS"},
    "source": {"type": "WEBSITE", "name": "leadbook.test"},
}


def _put(client, section, rows):
    answer = client.put(f"/api/admin/{section}", json=rows, headers=ADMIN)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def intake_unit(client, demo):
    _put(client, "units", [{"name": "Intake Unit", "group": "CSR Group"}])
    users = [
        {"username": name, "unit": "Intake Unit", "is_active": name != "rr_off"}
        for name in ("rr_one", "rr_two", "rr_off")
    ]
    _put(client, "users", users)
    rule = {"name": "web leads", "position": 1, "unit": "Intake Unit"}
    _put(client, "assignment_rules", [{**rule, "conditions": {"source_type": "website"}}])


def _assignee(lead) -> str:
    return lead["assigned_to"]["user"]["username"]


def test_round_robin_over_the_active_users_of_the_unit(api, intake_unit):
    assignees = [_assignee(ok(api.post("create", LEAD))) for _ in range(4)]
    assert sorted(assignees[:2]) == ["rr_one", "rr_two"] and assignees[2:] == assignees[:2]


def test_a_lead_no_rule_matches_goes_to_its_creator(api, intake_unit):
    other = {**LEAD, "source": {"type": "OTHER", "name": "phone"}}
    assert _assignee(ok(api.post("create", other))) == "mpadministrator"


def test_a_given_assignee_is_kept(api, intake_unit):
    given = {**LEAD, "assigned_to": {"user_identifier": {"username": "mariosm"}}}
    assert _assignee(ok(api.post("create", given))) == "mariosm"


def test_a_fixed_user_by_type_and_the_assign_event(api, client, intake_unit):
    rule = {"name": "purchases", "position": 0, "user": "Smanager"}
    conditions = {"type": ["Software Purchase", "Other"], "priority": 2}
    _put(client, "assignment_rules", [{**rule, "conditions": conditions}])
    lead = ok(api.post("create", {**LEAD, "type_identifier": {"name": "Software Purchase"}}))
    assert _assignee(lead) == "Smanager"
    events = client.get(f"/api/admin/leads/{lead['number']}/events", headers=ADMIN).json()
    assign = [e for e in events if e["action"] == "assign"]
    assert len(assign) == 1 and assign[0]["changes"]["rule"] == [None, "purchases"]
    assert _assignee(ok(api.post("create", LEAD))) in ("rr_one", "rr_two")  # other type


def test_a_rule_whose_users_are_all_inactive_is_passed_over(api, client, intake_unit):
    _put(client, "users", [{"username": n, "is_active": False} for n in ("rr_one", "rr_two")])
    assert _assignee(ok(api.post("create", LEAD))) == "mpadministrator"


@pytest.mark.parametrize(
    "rule, words",
    [
        ({"conditions": {"colour": "red"}, "unit": "Sales Unit"}, "no field 'colour'"),
        ({"conditions": {}, "unit": "Sales Unit", "user": "mariosm"}, "exactly one"),
        ({"conditions": {}}, "exactly one"),
        ({"conditions": {"priority": {"a": 1}}, "user": "mariosm"}, "text, a number"),
    ],
)
def test_bad_rules_are_refused_and_nothing_stored(client, demo, rule, words):
    rows = [{"name": "bad", **rule}]
    answer = client.put("/api/admin/assignment_rules", json=rows, headers=ADMIN)
    assert answer.status_code == 422 and words in answer.json()["error"]["message"]
    assert client.get("/api/admin/assignment_rules/bad", headers=ADMIN).status_code == 404
