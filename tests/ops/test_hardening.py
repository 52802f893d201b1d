"""Config as code, the audit trail API, rate and size limits, each in its face's format."""

import base64

import pytest
import yaml
from limits import RateLimitItemPerMinute

from leadbook.refdata import config
from tests.crmcom.conftest import SEED_TOKEN, refused

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}
DOC = """
lead_statuses:
  - {name: Qualified, alternative_code: Q, life_cycle_state: IN_PROGRESS}
lost_reasons:
  - {name: Timing, alternative_code: T}
lead_types:
  - {name: Partner Deal, alternative_code: PD, statuses: [Reach, Qualified, Won, Lost],
     create_status: Reach, start_status: Qualified, win_status: Won, lost_status: Lost}
"""


def test_config_apply_is_idempotent_and_exports_what_it_applied(db, demo):
    first = config.apply(db, config.load_yaml(DOC))
    assert first.created == {"lead_statuses": 1, "lost_reasons": 1, "lead_types": 1}
    second = config.apply(db, config.load_yaml(DOC))
    assert second.created == {} and second.updated == {}
    exported = config.export(db)
    partner = next(t for t in exported["lead_types"] if t["name"] == "Partner Deal")
    assert partner["start_status"] == "Qualified" and "Qualified" in partner["statuses"]
    again = config.apply(db, yaml.safe_load(yaml.safe_dump(exported)))
    assert again.created == {} and again.updated == {}


@pytest.mark.parametrize(
    "doc",
    [
        "lead_types: [{name: X, statuses: [Nope]}]",
        "colours: []",
        "units: [{name: U, group: G}]",
        "- just a list",
        "lead_statuses: [{alternative_code: Z}]",
    ],
)
def test_config_apply_refuses_bad_documents(db, demo, doc):
    with pytest.raises(Exception) as caught:
        config.apply(db, config.load_yaml(doc))
    assert getattr(caught.value, "code", "") == "INVALID_VALUE"


def test_the_audit_trail_is_readable_through_the_api(client, api):
    api.post("start_progress", lead_identifier={"number": "40"})
    events = client.get("/api/admin/leads/40/events", headers=ADMIN).json()
    assert [e["action"] for e in events] == ["create", "start_progress"]
    assert events[1]["user"]["username"] == "mpadministrator" and events[1]["via"] == "crmcom"
    assert events[1]["changes"]["life_cycle_state"] == ["PENDING", "IN_PROGRESS"]
    assert client.get("/api/admin/leads/999/events", headers=ADMIN).status_code == 404


@pytest.fixture
def limited(app):
    """This test's app allows 3 requests a minute per client."""
    app.state.limiters.requests = RateLimitItemPerMinute(3)


def test_rate_limit_per_token_in_each_faces_format(client, demo, limited):
    url = "/crmapi/rest/v2/leads/show"
    for _ in range(3):
        client.get(url, params={"token": SEED_TOKEN, "lead_identifier": "number=19"})
    refused(
        client.get(url, params={"token": SEED_TOKEN, "lead_identifier": "number=19"}),
        "TOO_MANY_REQUESTS",
        429,
    )
    xml = client.get("/leads/19.xml", headers={"Authorization": f"Bearer {SEED_TOKEN}"})
    assert xml.status_code == 429 and b"<errors>" in xml.content
    other = "DFBD9A73479EF55ED6C367F79B35844C"  # another token has its own budget
    ok = client.get(url, params={"token": other, "lead_identifier": "number=19"})
    assert ok.status_code == 200


def test_request_size_limit_in_each_faces_format(client, demo, settings):
    big = b"x" * (settings.max_body_bytes + 1)
    crm = client.post(
        "/crmapi/rest/v2/leads/create", content=big, headers={"Content-Type": "application/json"}
    )
    refused(crm, "REQUEST_TOO_LARGE", 413)
    auth = "Basic " + base64.b64encode(b"mpadministrator:leadbook-demo").decode()
    xml = client.post("/leads.xml", content=big, headers={"Authorization": auth})
    assert xml.status_code == 413 and b"<errors>" in xml.content


@pytest.mark.parametrize("method", ["list", "get_overdue", "get_pending"])
def test_a_search_counts_once_against_its_token(client, demo, limited, method):
    url = f"/crmapi/rest/v2/leads/{method}"
    params = {"token": SEED_TOKEN, "type_identifier": "name=Software Purchase"}
    assert [client.get(url, params=params).status_code for _ in range(3)] == [200] * 3
    refused(client.get(url, params=params), "TOO_MANY_REQUESTS", 429)


@pytest.mark.parametrize("method", ["list", "get_overdue", "get_won_leads"])
def test_a_search_checks_the_token_before_its_filters(client, demo, method):
    answer = client.get(
        f"/crmapi/rest/v2/leads/{method}",
        params={"token": "NOT-A-TOKEN", "type_identifier": "name=No Such Type"},
    )
    refused(answer, "INVALID_TOKEN", 401)
