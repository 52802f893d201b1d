"""The API docs: /docs and /redoc load every asset from the app itself (nothing from another
site), and the document says how each face authenticates and how it refuses."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.once

ASSET = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_load_every_asset_from_the_app(client, page):
    html = client.get(page)
    assert html.status_code == 200
    assets = set(ASSET.findall(html.text))
    assert "/openapi.json" in assets and len(assets) >= 3, assets
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the app"
        answer = client.get(asset)
        assert answer.status_code == 200 and answer.content, asset


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


def test_each_face_declares_how_it_authenticates(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer" and schemes["basic"]["scheme"] == "basic"
    assert schemes["token"] == {**schemes["token"], "in": "query", "name": "token"}
    paths = document["paths"]
    assert {"basic": []} in paths["/leads.xml"]["get"]["security"]
    assert paths["/api/admin/{section}"]["put"]["security"] == [{"bearer": []}]
    crmcom = "/crmapi/rest/{version}/"
    assert {"token": []} in paths[crmcom + "leads/show"]["get"]["security"]
    assert paths[crmcom + "authentication/token"]["post"]["security"] == []
    validate(document)


def test_refusals_are_documented_in_each_faces_format(document):
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert all("422" not in op["responses"] for op in operations)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    xml = document["paths"]["/leads/{number}.xml"]["get"]["responses"]
    assert xml["4XX"]["content"]["application/xml"]["schema"]["xml"] == {"name": "errors"}
    assert "application/xml" in xml["503"]["content"]
    admin = document["paths"]["/api/admin/{section}"]["put"]["responses"]
    assert "field" in admin["4XX"]["content"]["application/json"]["schema"]["properties"][
        "error"
    ]["properties"]
    crmcom = document["paths"]["/crmapi/rest/{version}/leads/show"]["get"]["responses"]
    assert "status" in str(crmcom["4XX"]["content"]["application/json"]["schema"])
