"""show, list and the get_* methods: identifiers, filters, paging, fields_set."""

import pytest

from tests.crmcom.conftest import ok, refused


@pytest.mark.parametrize("ident", ["number=19", "id={id}"])
def test_show_by_number_or_id(api, ident):
    lead_id = ok(api.get("show", lead_identifier="number=19"))["id"]
    assert ok(api.get("show", lead_identifier=ident.format(id=lead_id)))["number"] == "19"


@pytest.mark.parametrize(
    ("ident", "code"),
    [
        ("number=9999", "NOT_FOUND"),
        ("name=19", "INVALID_IDENTIFIER"),
        ("number", "INVALID_IDENTIFIER"),
        ("number=abc", "INVALID_IDENTIFIER"),
    ],
)
def test_show_refuses_bad_identifiers(api, ident, code):
    refused(api.get("show", lead_identifier=ident), code)


def test_show_needs_an_identifier(api):
    refused(api.get("show"), "MANDATORY_PARAMETER_MISSING")


def test_fields_set_keeps_only_the_named_fields(api):
    lead = ok(api.get("show", lead_identifier="number=19", fields_set="id,number,status"))
    assert set(lead) == {"id", "number", "status"}


def test_full_lead_object_has_every_documented_field(api):
    lead = ok(api.get("show", lead_identifier="number=116"))
    for key in [
        "id",
        "number",
        "life_cycle_state",
        "status",
        "type",
        "category",
        "lost_reason",
        "importance",
        "priority",
        "probability_to_win",
        "target_amount",
        "description",
        "contact_email",
        "contact_phone",
        "start_date",
        "expected_completion_date",
        "actual_completion_date",
        "estimated_completion_time",
        "time_to_completion",
        "time_overdue",
        "contact_information",
        "accounts_receivable",
        "lead_source",
        "assigned_to",
        "owned_by_group",
        "privacy_level",
        "competitors_set",
        "users_set",
        "products_set",
        "services_set",
        "physical_goods_set",
        "subscription_package",
        "log_information",
        "udf_string_1",
        "udf_float_4",
        "udf_date_4",
    ]:
        assert key in lead, key
    assert lead["time_to_completion"]["time_period_uot"] in ("DAYS", "WEEKS")
    assert lead["time_overdue"] == {"time_period_value": None, "time_period_uot": None}


def test_list_needs_a_filter(api):
    refused(api.get("list"), "MANDATORY_PARAMETER_MISSING")


def test_list_filters_combine(api):
    leads = ok(api.get("list", type_identifier="name=New Customer", priority="1"))
    assert leads and all(
        lead["type"]["name"] == "New Customer" and lead["priority"] == 1 for lead in leads
    )


def test_paging_walks_the_leads_in_number_order(api):
    everything = [int(x["number"]) for x in ok(api.get("list", importance="IMPORTANCE1"))]
    assert everything == sorted(everything) and len(everything) > 3
    page = ok(api.get("list", importance="IMPORTANCE1", number_of_results="2", offset="1"))
    assert [int(x["number"]) for x in page] == everything[1:3]


@pytest.mark.parametrize(
    "params",
    [
        {"number_of_results": "0"},
        {"number_of_results": "x"},
        {"offset": "-1"},
        {"priority": "9"},
        {"importance": "HUGE"},
        {"source_identifier": "type=PIGEON"},
        {"colour": "blue"},
    ],
)
def test_bad_list_parameters_are_refused(api, params):
    answer = api.get("list", type_identifier="name=New Customer", **params)
    assert answer.json()["status"]["code"] != "OK"
    assert 400 <= answer.status_code < 500


def test_get_methods_return_only_their_state(api):
    for method, state in [
        ("get_pending", "PENDING"),
        ("get_in_progress", "IN_PROGRESS"),
        ("get_won_leads", "WON"),
        ("get_lost_leads", "LOST"),
        ("get_cancelled", "CANCELLED"),
    ]:
        leads = ok(api.get(method))
        assert leads and {lead["life_cycle_state"] for lead in leads} == {state}, method


def test_overdue_leads_are_open_and_late(api):
    leads = ok(api.get("get_overdue"))
    assert leads
    for lead in leads:
        assert lead["life_cycle_state"] in ("PENDING", "IN_PROGRESS")
        assert lead["time_overdue"]["time_period_value"] > 0
        assert lead["time_to_completion"]["time_period_value"] is None


def test_close_to_completion_needs_period_and_unit(api):
    refused(
        api.get("get_close_to_estimated_completion_time", period="3"), "MANDATORY_PARAMETER_MISSING"
    )
    refused(
        api.get("get_close_to_estimated_completion_time", period="3", uot="AEONS"), "INVALID_VALUE"
    )
    close = ok(api.get("get_close_to_estimated_completion_time", period="3", uot="DAYS"))
    assert [lead["number"] for lead in close] == ["37"]
    wider = ok(api.get("get_close_to_estimated_completion_time", period="2", uot="MONTHS"))
    assert {"37", "40", "41", "44", "116"} <= {lead["number"] for lead in wider}
