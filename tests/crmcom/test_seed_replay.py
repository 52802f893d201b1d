"""Every request example of the CRM.COM seeds, sent verbatim, succeeds on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crmcom.conftest import ok

SEEDS = Path(__file__).with_name("seed_requests")
GETS = [
    line.split(" ", 1)[1]
    for line in (SEEDS / "requests.txt").read_text().splitlines()
    if line.startswith("GET ")
]


def _url(line: str, token: str) -> str:
    return line.replace("{{server}}", "").replace("{{token}}", token)


@pytest.mark.parametrize("line", GETS, ids=[g.split("?")[0].rsplit("/", 1)[1] for g in GETS])
def test_get_examples(client, token, line):
    data = ok(client.get(_url(line, token)))
    assert data, f"{line} found nothing in the demo data"


def test_show_example_is_lead_19(client, token):
    lead = ok(client.get(_url(GETS[0], token)))
    assert lead["number"] == "19"
    assert lead["life_cycle_state"] == "IN_PROGRESS"
    assert lead["type"]["name"] == "Software Purchase"
    assert lead["lead_source"]["type"] == "RECOMMENDEDBYEMPLOYEE"
    assert lead["lead_source"]["recommended_by_employee"]["username"] == "mpadministrator"
    assert [u["user"]["username"] for u in lead["users_set"]] == ["x_poulli"]
    assert len(lead["services_set"]) == 2 and len(lead["physical_goods_set"]) == 2


def test_list_example_filters_by_source_type(client, token):
    leads = ok(client.get(_url(GETS[2], token)))
    assert {lead["lead_source"]["type"] for lead in leads} == {"NOTIFICATIONS"}
    assert {lead["life_cycle_state"] for lead in leads} == {"WON", "PENDING"}


def _post(client, name: str, token: str):
    raw = (SEEDS / name).read_text().replace("{{token}}", token)
    method = name.rsplit(".", 1)[0]
    method = {"create_ex1": "create", "create_ex2": "create", "update_69": "update"}.get(
        method, method.rsplit("_", 1)[0]
    )
    return client.post(
        f"/crmapi/rest/v2/leads/{method}",
        content=raw.encode(),
        headers={"Content-Type": "application/json"},
    )


def test_create_example_1_with_its_trailing_comma(client, token):
    lead = ok(_post(client, "create_ex1.json", token))
    assert lead["life_cycle_state"] == "PENDING"
    assert lead["status"]["name"] == "Reach"
    assert lead["expected_completion_date"] == "2015-03-13T17:28:30"
    assert lead["estimated_completion_time"] == {"time_period_value": 3, "time_period_uot": "WEEKS"}
    assert lead["contact_information"]["name"] == "Filippos Constantinou"
    assert lead["contact_information"]["life_cycle_state"] == "MARKETING"
    assert lead["lead_source"]["communication"]["number"] == "204"
    assert lead["assigned_to"]["user"]["username"] == "mpadministrator"
    assert lead["assigned_to"]["unit"]["name"] == "Admin Unit"
    assert {c["competitor"]["name"] for c in lead["competitors_set"]} == {
        "Competitor 4",
        "Competitor 1",
    }
    assert [u["user"]["username"] for u in lead["users_set"]] == ["mariosmtest", "mariosm"]
    assert [s["product"]["alternative_code"] for s in lead["services_set"]] == ["SOFA", "AOA"]
    assert int(lead["number"]) > 116
    assert lead["udf_string_5"] == "udf_string_5" and lead["target_amount"] == 58


def test_create_example_2_products_and_package(client, token):
    lead = ok(_post(client, "create_ex2.json", token))
    assert lead["life_cycle_state"] == "IN_PROGRESS"
    assert lead["expected_completion_date"] == "2018-02-12T17:28:30"
    kinds = [
        next(k for k in ("product", "product_type", "product_brand", "product_family") if item[k])
        for item in lead["products_set"]
    ]
    assert kinds == ["product", "product_type", "product_brand", "product_family"]
    assert lead["subscription_package"]["subscription_package"]["name"] == "Simple Package"
    assert lead["owned_by_group"]["name"] == "Main Group"


def test_update_example_wins_lead_69_and_edits_competitors(client, token):
    lead = ok(_post(client, "update_69.json", token))
    assert lead["number"] == "69"
    assert lead["life_cycle_state"] == "WON"
    assert lead["status"]["name"] == "Won"
    assert lead["actual_completion_date"] is not None
    assert [c["competitor"]["name"] for c in lead["competitors_set"]] == [
        "Competitor 4",
        "Competitor 2",
    ]


def test_start_progress_example(client, token):
    lead = ok(_post(client, "start_progress_40.json", token))
    assert lead["life_cycle_state"] == "IN_PROGRESS"
    assert lead["status"] == {**lead["status"], "name": "Learn", "alternative_code": "LRN"}


def test_cancel_example(client, token):
    lead = ok(_post(client, "cancel_5.json", token))
    assert lead["life_cycle_state"] == "CANCELLED"
    assert lead["status"]["alternative_code"] == "C"
    assert lead["actual_completion_date"] is None


def test_win_example(client, token):
    lead = ok(_post(client, "win_41.json", token))
    assert lead["life_cycle_state"] == "WON"
    assert lead["status"]["alternative_code"] == "WN"
    assert lead["accounts_receivable"]["number"] == "ACR0000000201"
    assert lead["contact_information"]["life_cycle_state"] == "FINANCIAL"


def test_lost_example(client, token):
    lead = ok(_post(client, "lost_44.json", token))
    assert lead["life_cycle_state"] == "LOST"
    assert lead["lost_reason"]["name"] == "Competitors"
    assert lead["status"]["alternative_code"] == "LT"
