"""Webhook subscriptions managed by the admin API, the CLI and config apply: one set of
rules, refusals naming the field; the delivery log and redelivery over the admin API."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadbook import cli
from leadbook.auth import tokens
from leadbook.config import get_settings
from leadbook.models import User
from leadbook.refdata import config
from leadbook.webhooks import fanout
from tests.crmcom.conftest import SEED_TOKEN, ok
from tests.crmcom.test_create import BASE

HOOKS = "/api/admin/webhooks"
ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}
URL = "https://crm.example.org/hooks/leadbook"


def test_an_admin_creates_reads_changes_and_deletes_one(client, demo):
    made = client.put(f"{HOOKS}/crm", json={"url": URL}, headers=ADMIN)
    assert made.status_code == 200, made.text
    assert made.json()["secret"].startswith("whsec_") and made.json()["event_types"] == []
    listed = client.get(HOOKS, headers=ADMIN).json()
    assert [row["name"] for row in listed] == ["crm"] and "secret" not in listed[0]
    changed = client.put(
        f"{HOOKS}/crm",
        json={"event_types": ["lead.created", "lead.state_changed"], "fields": ["priority"]},
        headers=ADMIN,
    ).json()
    assert changed["url"] == URL and changed["secret"] == made.json()["secret"]
    assert changed["event_types"] == ["lead.created", "lead.state_changed"]
    assert client.delete(f"{HOOKS}/crm", headers=ADMIN).json() == {"deleted": "crm"}
    assert client.get(f"{HOOKS}/crm", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://crm.example.org/x"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "http://testserver/api/events"}, "url"),  # the server itself
        ({"url": URL, "event_types": ["lead.exploded"]}, "event_types"),
        ({"url": URL, "lead_types": ["No Such Type"]}, "lead_types"),
        ({"url": URL, "fields": ["shoe_size"]}, "fields"),
        ({"url": URL, "secret": "hunter2"}, "secret"),
        ({"url": URL, "active": "yes"}, "active"),
        ({"url": URL, "colour": "red"}, "colour"),
        ({"event_types": []}, "url"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(client, demo, body, field):
    answer = client.put(f"{HOOKS}/bad", json=body, headers=ADMIN)
    assert 400 <= answer.status_code < 500 and answer.json()["error"]["field"] == field
    assert client.get(f"{HOOKS}/bad", headers=ADMIN).status_code == 404


def test_only_admins_manage_webhooks(client, db, demo):
    seller = db.query(User).filter_by(username="x_poulli").one()
    token = tokens.issue(db, seller, ttl_seconds=600)
    db.commit()
    seen = client.get(HOOKS, headers={"Authorization": f"Bearer {token}"})
    assert seen.status_code == 403
    assert client.put(f"{HOOKS}/x", json={"url": URL}).status_code == 401


def test_the_delivery_log_and_redelivery(client, db, api):
    client.put(f"{HOOKS}/crm", json={"url": URL, "event_types": ["lead.created"]}, headers=ADMIN)
    ok(api.post("create", BASE))
    ok(api.post("create", BASE))
    assert fanout.fan_out(db) == 2  # what a worker does next
    db.commit()
    log = client.get(f"{HOOKS}/crm/deliveries", headers=ADMIN).json()
    assert [row["state"] for row in log] == ["pending", "pending"]
    assert log[0]["tries"] == [] and log[0]["event"] == f"evt_{log[0]['position']}"
    first, last = log[0]["position"], log[1]["position"]
    again = client.post(f"{HOOKS}/crm/redeliver", json={"from": first, "to": last}, headers=ADMIN)
    assert again.json() == {"redelivered": 2}
    bad = client.post(f"{HOOKS}/crm/redeliver", json={"from": "x"}, headers=ADMIN)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "from"
    state = client.get(f"{HOOKS}/crm/deliveries?state=lost", headers=ADMIN)
    assert state.status_code == 422 and state.json()["error"]["field"] == "state"


def test_config_apply_saves_webhooks_with_the_same_rules(db, demo):
    document = {"webhooks": [{"name": "crm", "url": URL, "lead_types": ["New Customer"]}]}
    assert config.apply(db, document).created == {"webhooks": 1}
    assert config.apply(db, document).unchanged == {"webhooks": 1}
    with pytest.raises(Exception, match=r"webhooks\[0\].*http or https"):
        config.apply(db, {"webhooks": [{"name": "bad", "url": "gopher://x"}]})


def test_the_cli_sets_lists_and_deletes(_bind, database_url, monkeypatch):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli.app, ["webhooks", *args], catch_exceptions=False)

    try:
        made = run("set", "crm", "--url", URL, "--event-type", "lead.created")
        assert made.exit_code == 0 and json.loads(made.stdout)["secret"].startswith("whsec_")
        assert json.loads(run("list").stdout)[0]["event_types"] == ["lead.created"]
        refused = run("set", "other", "--url", "file:///etc/passwd")
        assert refused.exit_code == 1 and "url" in refused.stderr
        assert run("deliveries", "crm").stdout.strip() == "[]"
        assert run("delete", "crm").exit_code == 0
        assert json.loads(run("list").stdout) == []
    finally:
        get_settings.cache_clear()
