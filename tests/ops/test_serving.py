"""The served process: a killed worker is replaced once and serves, and the head of a
request is bounded."""

import os
import signal
import socket
import time

import httpx
import pytest

from tests.ops.served import answers, served, wait_until, workers_of

pytestmark = pytest.mark.once


def test_a_worker_killed_with_sigkill_is_replaced_once_and_serves(database_url):
    with served(database_url, "--workers", "2") as (url, server):
        first = wait_until(
            lambda: len(workers_of(server.pid)) == 2 and workers_of(server.pid), "2 workers"
        )
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(workers_of(server.pid) - first) == 1, "a replacement")
        replacement = workers_of(server.pid) - first
        # a start slowed down for 7 s (a loaded machine) is waited for, not killed (uvicorn's
        # default health check gives a worker 5 s): it serves, and no other replaces it
        (slow,) = replacement
        os.kill(slow, signal.SIGSTOP)
        time.sleep(7)
        os.kill(slow, signal.SIGCONT)
        for _ in range(20):
            assert answers(url, timeout=10)
        time.sleep(3)
        assert workers_of(server.pid) == (first - {victim}) | replacement
        assert server.poll() is None


def test_a_request_head_over_the_limit_is_refused_and_the_server_goes_on(database_url):
    with served(database_url, LEADBOOK_MAX_HEADER_BYTES="8192") as (url, _server):
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 12000)
            answer = conn.recv(100)  # before the head ends: the server refuses and closes
            assert answer.startswith(b"HTTP/1.1 4"), answer
        small = httpx.get(f"{url}/healthz", headers={"X-Small": "a" * 4000}, timeout=10)
        assert small.status_code == 200


def test_an_idle_connection_is_closed_after_the_keep_alive_timeout(database_url):
    with served(database_url, LEADBOOK_KEEP_ALIVE_SECONDS="1") as (url, _server):
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while not received.endswith(b'{"status":"ok"}'):
                received += conn.recv(1000)
            assert received.startswith(b"HTTP/1.1 200")
            # the server closes it (an empty read) within the client's 3 s (uvicorn's default: 5 s)
            assert conn.recv(1000) == b""
