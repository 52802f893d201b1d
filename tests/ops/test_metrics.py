"""Metrics at /metrics in Prometheus's format: requests by route template and status,
latency histograms, the database pool, summed over the workers of `serve --workers N`."""

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from leadbook.app import create_app
from leadbook.observe import httpmetrics, metrics
from tests.servers import served

pytestmark = pytest.mark.once

SHOW = "/crmapi/rest/v2/leads/show"


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def count(scraped, name: str, **labels) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in scraped.items() if n == name and wanted <= ls)


def test_requests_are_counted_by_route_template_and_status(client):
    template = "/crmapi/rest/{version}/leads/show"
    wanted = {
        "refused": ("http_requests_total", {"handler": template, "status": "401"}),
        "unknown": ("http_requests_total", {"handler": "none", "status": "404"}),
        "timed": ("http_request_duration_seconds_count", {"handler": template}),
        "slowest": ("http_request_duration_seconds_bucket", {"handler": template, "le": "+Inf"}),
    }

    def counts():
        scraped = samples(client.get("/metrics").text)
        return {key: count(scraped, name, **labels) for key, (name, labels) in wanted.items()}

    before = counts()  # the worker's app serves other tests too
    for number in (1, 2, 3):
        client.get(SHOW, params={"token": "x", "lead_identifier": f"number={number}"})
    client.get("/no/such/page")
    after = counts()
    assert {key: after[key] - before[key] for key in wanted} == {
        "refused": 3,
        "unknown": 1,
        "timed": 3,
        "slowest": 3,
    }


@pytest.fixture
def app_with(settings):
    made = []

    def make(**changes):
        made.append(create_app(settings.model_copy(update=changes)))
        return TestClient(made[-1])

    yield make
    for app in made:
        app.state.engine.dispose()


def test_metrics_can_be_kept_to_some_networks(app_with):
    assert app_with(metrics_allowed_from="10.0.0.0/8").get("/metrics").status_code == 403
    assert app_with(metrics_allowed_from="*").get("/metrics").status_code == 200


def test_the_pool_gauges_follow_the_connections_in_use(app_with):
    client = app_with(db_pool_size=4)
    scraped = samples(client.get("/metrics").text)
    assert scraped[("leadbook_db_pool_size", frozenset())] == 4
    engine = client.app.state.engine
    with engine.connect():
        held = samples(client.get("/metrics").text)
    assert held[("leadbook_db_pool_checked_out", frozenset())] == 1
    assert samples(client.get("/metrics").text)[("leadbook_db_pool_checked_out", frozenset())] == 0


def test_other_parts_add_gauges_read_at_each_scrape(client, monkeypatch):
    depth = iter([3.0, 5.0])
    monkeypatch.setitem(
        metrics._at_scrape, "leadbook_test_queue_depth", ("Waiting", lambda app: next(depth))
    )
    assert samples(client.get("/metrics").text)[("leadbook_test_queue_depth", frozenset())] == 3
    assert samples(client.get("/metrics").text)[("leadbook_test_queue_depth", frozenset())] == 5


def test_the_workers_of_one_server_are_summed(database_url, tmp_path):
    log = tmp_path / "serve.log"
    with (
        served(database_url, log, workers=2, db_pool_size="3") as server,
        httpx.Client(base_url=server.url) as http,
    ):
        # new connections until both workers have served (the kernel chooses which; on a
        # loaded machine one may take a dozen in a row): each has then opened its pool
        sent = 0
        for _ in range(200):
            http.get(SHOW, params={"token": "x"}, headers={"Connection": "close"})
            sent += 1
            pool = samples(http.get("/metrics", headers={"Connection": "close"}).text)
            if sent >= 12 and pool[("leadbook_db_pool_size", frozenset())] == 6:
                break
        scrapes = [samples(http.get("/metrics").text) for _ in range(6)]
    for scraped in scrapes:
        assert scraped[("leadbook_db_pool_size", frozenset())] == 6  # two workers' pools of 3
        template = "/crmapi/rest/{version}/leads/show"
        assert count(scraped, "http_requests_total", handler=template, status="401") == sent


def test_each_address_is_matched_once_and_labelled_alike(client):
    """The route template of an address is looked up once a worker, then remembered: the
    same labels as a fresh lookup, per method (a PATCH of a lead's address is the XML
    face's catch-all's, which answers 405)."""

    def handled(scraped, method: str, template: str = "/leads/{number}.xml") -> float:
        return count(scraped, "http_requests_total", handler=template, method=method)

    before = samples(client.get("/metrics").text)
    for _ in range(3):
        client.get("/leads/116.xml")  # refused (no credentials): still counted
    client.get("/leads/117.xml")
    client.patch("/leads/116.xml")
    after = samples(client.get("/metrics").text)
    assert handled(after, "GET") - handled(before, "GET") == 4
    assert handled(after, "PATCH") == handled(before, "PATCH")
    others = "/{path:path}.xml"
    assert handled(after, "PATCH", others) - handled(before, "PATCH", others) == 1
    middleware = [m.cls for m in client.app.user_middleware]
    assert httpmetrics.HttpMetrics in middleware
