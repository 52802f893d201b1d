"""One domain behind both APIs: what one creates, changes or deletes, the other sees."""

import base64
from xml.etree.ElementTree import fromstring

from tests.crmcom.conftest import ok, refused

AUTH = {"Authorization": "Basic " + base64.b64encode(b"mpadministrator:leadbook-demo").decode()}


def test_a_lead_created_in_xml_is_seen_by_crmcom(client, api):
    answer = client.post(
        "/leads.xml",
        headers=AUTH,
        content=(
            b"<lead><client_name>Initech</client_name><value>9000</value>"
            b"<value_date>01-06-2031</value_date><importance>2</importance></lead>"
        ),
    )
    number = fromstring(answer.content).find("id").text
    lead = ok(api.get("show", lead_identifier=f"number={number}"))
    assert lead["contact_information"]["company_name"] == "Initech"
    assert lead["target_amount"] == 9000 and lead["importance"] == "IMPORTANCE2"
    assert lead["expected_completion_date"] == "2031-06-01T00:00:00"
    assert lead["lead_source"] == {"type": "OTHER", "name": "XML API"}


def test_a_crmcom_move_shows_as_an_xml_step(client, api):
    ok(api.post("start_progress", lead_identifier={"number": "40"}))
    shown = fromstring(client.get("/leads/40.xml", headers=AUTH).content)
    assert shown.find("progress_id").text == "460"
    ok(api.post("win", lead_identifier={"number": "40"}))
    shown = fromstring(client.get("/leads/40.xml", headers=AUTH).content)
    assert shown.find("progress_id").text == "469" and shown.find("is_engaged").text == "1"


def test_an_xml_change_is_seen_by_crmcom(client, api):
    client.put(
        "/leads/44.xml",
        headers=AUTH,
        content=b"<lead><description>Changed in XML</description></lead>",
    )
    assert ok(api.get("show", lead_identifier="number=44"))["description"] == "Changed in XML"


def test_a_lead_deleted_in_xml_is_gone_from_both(client, api):
    assert client.delete("/leads/69.xml", headers=AUTH).status_code == 200
    refused(api.get("show", lead_identifier="number=69"), "NOT_FOUND", 404)
    assert "69" not in [x["number"] for x in ok(api.get("get_pending"))]
    assert client.get("/leads/69.xml", headers=AUTH).status_code == 404
