"""A real `leadbook serve` process for tests about processes, stopped by the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

BOUND = 60  # seconds a served test may wait for the server at most


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_of(parent: int) -> set[int]:
    """The pids of the worker processes uvicorn spawned under ``parent``."""
    found = set()
    for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.add(int(pid))
    return found


def wait_until(check, what: str):
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"not within {BOUND} s: {what}")


def answers(url: str, timeout: float = 2) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def served(database_url: str, *args: str, **env: str):
    """Yields (base URL, the server's Popen) of `leadbook serve` on ``database_url``."""
    port = free_port()
    environment = {**os.environ, "LEADBOOK_DATABASE_URL": database_url, **env}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "leadbook"), "serve", "--port", str(port), *args],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(url), "the server answers")
        yield url, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
