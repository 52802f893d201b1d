"""Helpers of the capture tests: settings changed for one test."""

from __future__ import annotations

import pytest

from leadbook.config import get_settings


@pytest.fixture
def configure(monkeypatch):
    """Sets LEADBOOK_ settings for the test (``configure(ON_DUPLICATE="refuse")``)."""

    def configure(**settings: str) -> None:
        for name, value in settings.items():
            monkeypatch.setenv(f"LEADBOOK_{name}", value)
        get_settings.cache_clear()

    yield configure
    get_settings.cache_clear()
