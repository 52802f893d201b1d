"""Real ``leadbook serve`` processes (and other servers: the bench's floor) for tests about
processes: started on a free port against a test database, their output kept in a file,
stopped by the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

LEADBOOK = Path(sys.executable).parent / "leadbook"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def peak_rss_mb(self) -> float:
        """The serving process's peak resident memory so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    database_url: str,
    log: Path,
    *,
    workers: int = 1,
    leadbook: Path = LEADBOOK,
    cwd: Path | None = None,
    **env: str,
) -> Iterator[Server]:
    """Serves the app on ``database_url`` with ``LEADBOOK_<NAME>`` settings from ``env``
    (the ``leadbook`` command given, e.g. an installed wheel's, run in ``cwd``)."""
    port = free_port()
    environment = {
        **os.environ,
        "LEADBOOK_DATABASE_URL": database_url,
        **{f"LEADBOOK_{name.upper()}": value for name, value in env.items()},
    }
    command = [str(leadbook), "serve", "--port", str(port), "--workers", str(workers)]
    with running(command, port, environment, log, cwd=cwd) as server:
        yield server


@contextmanager
def running(
    command: list[str],
    port: int,
    environment: dict[str, str],
    log: Path,
    *,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Runs ``command``, a server listening on ``port`` (see ``free_port``), until it
    answers ``/healthz``; stops it after."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, env=environment, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
            assert process.poll() is None, log.read_text()
        yield Server(url, process, log)
    finally:
        process.terminate()
        process.wait(timeout=20)
