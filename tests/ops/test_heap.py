"""A worker freezes the objects of its startup out of the cyclic collector's reach
(leadbook.heap), unless told not to (LEADBOOK_GC_FREEZE=false)."""

import gc

import pytest
from fastapi.testclient import TestClient

from leadbook.app import create_app
from leadbook.config import Settings


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("freeze", [True, False])
def test_startup_freezes_the_heap_when_set(unfrozen, freeze):
    app = create_app(Settings(database_url="sqlite://", gc_freeze=freeze))
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        frozen = gc.get_freeze_count()
    if freeze:
        assert frozen > 10_000  # the modules, routes and models of the app
    else:
        assert frozen == 0
