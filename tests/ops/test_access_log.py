"""The access log of a real server never shows a token, password or key sent in a URL."""

import httpx
import pytest

from leadbook.observe.redact import hide_secrets
from tests.servers import served

pytestmark = pytest.mark.once


def test_tokens_in_urls_are_hidden_in_the_access_log(database_url, db, tmp_path):
    secret = "SECRET0123456789ABCDEF0123456789"
    with served(database_url, tmp_path / "serve.log") as server:
        for path in (
            f"/crmapi/rest/v2/leads/show?token={secret}&lead_identifier=number%3D1",
            f"/leads.xml?token={secret}",
            f"/crmapi/rest/v2/leads/show?lead_identifier=number%3D1&TOKEN={secret}",
            f"/web/login?password={secret}&key={secret}",
        ):
            httpx.get(server.url + path)
    log = (tmp_path / "serve.log").read_text()
    assert "/crmapi/rest/v2/leads/show?token=***&lead_identifier=number%3D1" in log
    assert secret not in log


def test_only_the_secret_parameters_are_hidden():
    assert hide_secrets("/a?x=1&tok%65n=abc&password&api_key=k") == (
        "/a?x=1&tok%65n=***&password&api_key=***"
    )
    assert hide_secrets("/a/token=x") == "/a/token=x"
