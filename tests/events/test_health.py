"""What operators watch: /readyz checks the worker's heartbeat only where workers are
expected; /metrics shows the webhook queue's depth and the age of its oldest pending event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leadbook import models as m
from leadbook.domain import subscriptions
from leadbook.models.base import utcnow
from leadbook.webhooks import health
from leadbook.webhooks.clock import precise_now
from leadbook.worker.heartbeat import beat
from tests.ops.test_metrics import samples


@pytest.fixture
def expecting(app, settings):
    """The app with workers expected (``LEADBOOK_EXPECT_WORKER=true``)."""
    health.install(app, settings.model_copy(update={"expect_worker": True}))
    yield app
    app.state.readiness_checks.pop("worker", None)


def test_no_worker_check_unless_workers_are_expected(client):
    assert set(client.get("/readyz").json()["checks"]) == {"database", "schema"}


def test_readiness_follows_the_workers_heartbeat(expecting, client, sessions):
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "no worker beat" in answer.json()["checks"]["worker"]
    with sessions() as db:
        beat(db, "w1", precise_now())
        db.commit()
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json()["checks"]["worker"] == "ok"


def test_the_queue_gauges(client, sessions):
    def gauges() -> tuple[float, float]:
        scraped = samples(client.get("/metrics").text)
        return (
            scraped[("leadbook_webhook_queue_depth", frozenset())],
            scraped[("leadbook_webhook_oldest_pending_seconds", frozenset())],
        )

    assert gauges() == (0, 0)
    with sessions() as db:
        row, _ = subscriptions.save(db, "hook", {"url": "https://example.com/hook"})
        for position, age in ((1, 120), (2, 5)):
            db.add(
                m.FeedEvent(
                    position=position,
                    type="lead.created",
                    lead_id="L" * 32,
                    lead_number=1,
                    occurred_at=utcnow() - timedelta(seconds=age),
                )
            )
            db.add(
                m.WebhookDelivery(
                    subscription_id=row.id,
                    position=position,
                    lead_id="L" * 32,
                    next_attempt_at=precise_now(),
                )
            )
        db.commit()
    depth, oldest = gauges()
    assert depth == 2 and 120 <= oldest < 180
