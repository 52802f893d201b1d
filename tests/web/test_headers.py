"""Security headers: every answer forbids framing and sniffing and keeps its referrer on
this site; pages carry a content security policy of their own origin only."""

import pytest

PAGES = ["/web/login", "/web/board", "/web/leads", "/web/dashboard", "/web/static/htmx.min.js"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_security_headers(signed_in, path):
    answer = signed_in.get(path)
    assert answer.status_code == 200
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_refusals_and_other_faces_carry_them_too(client):
    for answer in (
        client.get("/web/leads/999999"),
        client.get("/crmapi/rest/v2/leads/show", params={"token": "x"}),
        client.get("/leads.xml"),
        client.get("/healthz"),
    ):
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_api_docs_keep_working_without_the_policy(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers
    assert docs.headers["x-frame-options"] == "DENY"
