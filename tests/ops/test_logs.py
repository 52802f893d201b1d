"""Logs: one JSON object per line, one line per request with its request id, the level
configurable, and no credential on any line."""

import json
import logging
import os

import httpx
import pytest
import structlog

from leadbook.observe import logs, requestlog
from tests.servers import served

pytestmark = pytest.mark.once

SECRET = "SECRET0123456789ABCDEF0123456789"


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_a_served_process_logs_json_lines_with_request_ids_and_no_secret(database_url, tmp_path):
    log = tmp_path / "serve.log"
    with served(database_url, log) as server:
        given = httpx.get(
            f"{server.url}/crmapi/rest/v2/leads/show?token={SECRET}&lead_identifier=number%3D1",
            headers={"X-Request-ID": "client-42.a:b_c"},
        )
        made_up = httpx.get(
            f"{server.url}/leads.xml?password={SECRET}",
            headers={"X-Request-ID": "no spaces allowed", "Authorization": f"Bearer {SECRET}"},
        )
        too_long = httpx.get(f"{server.url}/healthz", headers={"X-Request-ID": "x" * 129})
    assert given.headers["x-request-id"] == "client-42.a:b_c"
    assert len(made_up.headers["x-request-id"]) == 32
    assert too_long.headers["x-request-id"] != "x" * 129
    assert SECRET not in log.read_text()
    lines = _lines(log)  # every line is JSON
    requests = {line["request_id"]: line for line in lines if line["event"] == "request"}
    first = requests["client-42.a:b_c"]
    assert first["path"] == "/crmapi/rest/v2/leads/show?token=***&lead_identifier=number%3D1"
    assert first["method"] == "GET" and first["status"] == 401 and first["level"] == "info"
    assert requests[made_up.headers["x-request-id"]]["path"] == "/leads.xml?password=***"
    assert too_long.headers["x-request-id"] in requests
    assert any(line["logger"].startswith("uvicorn") for line in lines)


def test_the_level_and_the_format_are_settings(database_url, tmp_path):
    log = tmp_path / "serve.log"
    with served(database_url, log, log_level="warning", log_format="console") as server:
        httpx.get(f"{server.url}/healthz?token={SECRET}")
    text = log.read_text()
    assert "request_id" not in text and SECRET not in text and "{" not in text


def test_every_line_any_logger_writes_goes_through_the_redaction(capsys):
    handler = logging.StreamHandler()
    handler.setFormatter(logs.formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logging.getLogger("some.library").warning(
            "retrying GET /x?api_key=%s with Basic %s", SECRET, SECRET
        )
        structlog.stdlib.get_logger("leadbook.test").warning(
            "login", password=SECRET, form={"web_api_key": SECRET}, note=f"token={SECRET}"
        )
    finally:
        root.removeHandler(handler)
        structlog.reset_defaults()
    written = capsys.readouterr().err
    assert SECRET not in written
    first, second = (json.loads(line) for line in written.splitlines())
    assert first["event"] == "retrying GET /x?api_key=*** with Basic ***"
    assert second["password"] == "***" and second["form"] == {"web_api_key": "***"}


def test_made_up_request_ids_never_repeat_and_differ_between_processes():
    made = {requestlog.made_up() for _ in range(10000)}
    assert len(made) == 10000
    assert all(len(rid) == 32 and requestlog.SANE.fullmatch(rid.encode()) for rid in made)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the forked child draws its own prefix
        os.write(write, requestlog.made_up().encode())
        os._exit(0)
    os.waitpid(child, 0)
    theirs = os.read(read, 64).decode()
    os.close(read)
    os.close(write)
    ours = requestlog.made_up()
    assert len(theirs) == 32 and theirs[:16] != ours[:16]
