"""`leadbook smtp` refuses to start where it could not take mail: a database not migrated,
a port already taken."""

from __future__ import annotations

import os
import socket
import subprocess

from tests.smtp.conftest import LEADBOOK


def _smtp(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEADBOOK_DATABASE_URL": database_url}
    return subprocess.run(
        [str(LEADBOOK), "smtp", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_database_never_migrated_is_refused(tmp_path):
    done = _smtp(f"sqlite:///{tmp_path / 'empty.db'}")
    assert done.returncode == 1 and "not receiving mail" in done.stderr


def test_a_port_taken_is_refused(database_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = _smtp(database_url, "--port", str(taken.getsockname()[1]))
    assert done.returncode == 1 and "address already in use" in done.stderr
    assert "Traceback" not in done.stderr
