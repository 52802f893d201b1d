"""`config export` lists the webhook subscriptions, so export → apply round-trips them;
their signing secrets only with --with-secrets."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from leadbook import cli
from leadbook import models as m
from leadbook.config import get_settings
from leadbook.db import make_sessionmaker, transaction
from leadbook.domain import subscriptions
from leadbook.refdata import config

SECRET = "whsec_" + "A" * 32
SHOWN = ("url", "event_types", "lead_types", "fields", "active", "secret")


def _subscribe(db) -> None:
    subscriptions.save(
        db,
        "crm",
        {
            "url": "https://crm.example.org/hooks",
            "event_types": ["lead.created", "lead.updated"],
            "lead_types": ["New Customer"],
            "fields": ["priority"],
            "secret": SECRET,
        },
    )
    erp, _ = subscriptions.save(db, "erp", {"url": "http://erp.example:8080/in"})
    subscriptions.pause(erp, "kept failing")
    db.flush()


def _state(db) -> dict[str, tuple]:
    rows = db.scalars(select(m.WebhookSubscription)).all()
    return {row.name: tuple(getattr(row, key) for key in SHOWN) for row in rows}


def test_export_then_apply_round_trips_the_subscriptions(db, demo):
    _subscribe(db)
    before = _state(db)
    plain = config.export_webhooks(db)
    assert [row["name"] for row in plain] == ["crm", "erp"]
    assert all("secret" not in row for row in plain)
    again = config.apply(db, yaml.safe_load(yaml.safe_dump({"webhooks": plain})))
    assert again.unchanged == {"webhooks": 2} and _state(db) == before
    whole = yaml.safe_dump({"webhooks": config.export_webhooks(db, secrets=True)})
    for name in ("crm", "erp"):
        db.delete(subscriptions.find(db, name))
    db.flush()
    made = config.apply(db, yaml.safe_load(whole))
    assert made.created == {"webhooks": 2} and _state(db) == before


@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli.app, list(args), catch_exceptions=False)
    get_settings.cache_clear()


def test_the_cli_exports_secrets_only_when_asked(run, engine, tmp_path):
    assert run("demo").exit_code == 0
    with transaction(make_sessionmaker(engine)) as db:
        _subscribe(db)
    plain = run("config", "export")
    assert plain.exit_code == 0 and "whsec_" not in plain.stdout
    listed = yaml.safe_load(plain.stdout)["webhooks"]
    assert [(row["name"], row["active"]) for row in listed] == [("crm", True), ("erp", False)]
    whole = run("config", "export", "--with-secrets")
    secrets = {row["name"]: row["secret"] for row in yaml.safe_load(whole.stdout)["webhooks"]}
    assert secrets["crm"] == SECRET and secrets["erp"].startswith("whsec_")
    path = tmp_path / "config.yaml"
    path.write_text(whole.stdout)
    applied = run("config", "apply", str(path))
    assert applied.exit_code == 0 and "webhooks" in applied.stdout
