"""A served `leadbook serve` with one pooled connection: a form post counts its rate
limits in the database (a connection of the same pool) before its own statements, so it
never waits for a second connection it cannot get."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from leadbook import models as m
from tests.capture.conftest import SITE
from tests.ops.served import served


def test_a_form_post_needs_one_connection(database_url, db, demo):
    user = db.scalar(select(m.User).where(m.User.username == "mariosm"))
    lead_type = db.scalar(select(m.LeadType).where(m.LeadType.name == "New Customer"))
    db.add(
        m.IntakeForm(
            key="pool",
            lead_type=lead_type,
            user=user,
            field_map={"name": "last_name"},
            allowed_origins=[SITE],
        )
    )
    db.commit()
    env = {"LEADBOOK_DB_POOL_SIZE": "1", "LEADBOOK_BUSY_TIMEOUT_SECONDS": "2"}
    with served(database_url, **env) as (url, _):
        answer = httpx.post(
            f"{url}/intake/pool", data={"name": "Hopper"}, headers={"Origin": SITE}, timeout=30
        )
    assert answer.status_code == 201, answer.text
