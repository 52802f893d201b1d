"""Helpers of the capture tests: admin credentials, a web form, settings changed for one test."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from leadbook.config import get_settings
from leadbook.domain import clock
from tests.crmcom.conftest import SEED_TOKEN

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}
SITE = "https://shop.example.test"
FIELDS = {"name": "last_name", "given": "first_name", "mail": "email", "message": "description"}


@pytest.fixture
def form(client, demo):
    """A form with a key of its own (the rate limits' counters outlive a test)."""
    key = f"contact-{uuid.uuid4().hex[:8]}"
    row = {
        "key": key,
        "lead_type": "New Customer",
        "user": "mariosm",
        "field_map": FIELDS,
        "allowed_origins": [SITE],
        "source_name": "shop",
    }
    answer = client.put("/api/admin/intake_forms", json=[row], headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return key


@pytest.fixture
def configure(monkeypatch):
    """Sets LEADBOOK_ settings for the test (``configure(ON_DUPLICATE="refuse")``)."""

    def configure(**settings: str) -> None:
        for name, value in settings.items():
            monkeypatch.setenv(f"LEADBOOK_{name}", value)
        get_settings.cache_clear()

    yield configure
    get_settings.cache_clear()


@pytest.fixture
def clock_at():
    """Returns a function freezing the domain's clock ``seconds`` after the test began."""
    start = clock.now()

    def at(seconds: float) -> None:
        clock.freeze(start + timedelta(seconds=seconds))

    yield at
    clock.freeze(None)
