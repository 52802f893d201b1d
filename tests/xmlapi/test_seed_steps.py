"""Every seed step (459 … 535) is usable right after `leadbook demo` and on a fresh install."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook.auth import tokens
from leadbook.models import LeadType, Unit, User
from leadbook.refdata import defaults
from leadbook.xmlapi import steps
from tests.xmlapi.conftest import AUTH, fields_of

OPEN_STEPS = [s.code for s in steps.STEPS if s.life_cycle_state == "IN_PROGRESS"]


def _step(client, headers, number: str, body: bytes | None = None) -> str:
    url = f"/leads/{number}.xml"
    answer = (
        client.put(url, content=body, headers=headers) if body else client.get(url, headers=headers)
    )
    return fields_of(answer)["progress_id"]


def _create(client, headers, step: int | None = None) -> str:
    extra = f"<progress_id>{step}</progress_id>" if step else ""
    body = f"<lead><client_name>Initech</client_name>{extra}</lead>".encode()
    return fields_of(client.post("/leads.xml", content=body, headers=headers))["id"]


def _walk(client, headers, number: str, codes) -> None:
    for code in codes:
        body = f"<lead><progress_id>{code}</progress_id></lead>".encode()
        assert _step(client, headers, number, body) == str(code)
        assert _step(client, headers, number) == str(code)


def _every_step_usable(client, headers) -> None:
    _walk(client, headers, _create(client, headers), [*OPEN_STEPS, *reversed(OPEN_STEPS), 469])
    for code in OPEN_STEPS:
        assert _step(client, headers, _create(client, headers, code)) == str(code)
    lost = b"<lead><progress_id>470</progress_id><lost_reason>Price</lost_reason></lead>"
    assert _step(client, headers, _create(client, headers, 461), lost) == "470"


def test_every_step_after_leadbook_demo(client, demo):
    _every_step_usable(client, AUTH)


@pytest.mark.parametrize("lead_type", ["Software Purchase", "New Customer"])
def test_every_demo_lead_type_has_every_step(client, demo, lead_type):
    settings = client.app.state.settings
    client.app.state.settings = settings.model_copy(update={"xml_lead_type": lead_type})
    _walk(client, AUTH, _create(client, AUTH), [*OPEN_STEPS, 460, 469])


def test_every_step_on_a_fresh_install(client, db):
    assert defaults.install(db) and not defaults.install(db)
    user = User(username="owner", unit=Unit(name="Head office"))
    db.add(user)
    db.flush()
    token = tokens.issue(db, user, ttl_seconds=None)
    db.commit()
    assert db.scalar(select(LeadType.name)) == "Lead"
    _every_step_usable(client, {"Authorization": f"Bearer {token}"})


def test_migrate_gives_a_fresh_database_the_defaults_once(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from leadbook import cli
    from leadbook.config import get_settings
    from leadbook.db import make_engine, make_sessionmaker

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        for _ in range(2):
            assert CliRunner().invoke(cli.app, ["migrate"], catch_exceptions=False).exit_code == 0
    finally:
        get_settings.cache_clear()
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        assert db.scalars(select(LeadType.name)).all() == ["Lead"]
        codes = {s.alternative_code for s in db.scalar(select(LeadType)).statuses}
    engine.dispose()
    assert {s.status_code for s in steps.STEPS if s.life_cycle_state == "IN_PROGRESS"} <= codes
