"""The deployment recipes (Dockerfile, compose.yaml, deploy/) name only commands, options
and settings that exist: `docker build` cannot run here (the wheel test stands in for the
image's steps), but a recipe naming a command or variable Leadbook lacks fails here."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import click
import pytest
import typer
import yaml

from leadbook import cli
from leadbook.config import Settings

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = typer.main.get_command(cli.app).commands
SETTINGS = {f"LEADBOOK_{name.upper()}" for name in vars(Settings())}


def _valid(argv: list[str]) -> None:
    """Parses ``argv`` (after `leadbook`) as the CLI would, without running it."""
    command = COMMANDS[argv[0]]
    with click.Context(command) as ctx:
        command.parse_args(ctx, list(argv[1:]))


def test_the_dockerfile_installs_the_wheel_and_serves():
    text = (ROOT / "Dockerfile").read_text()
    lines = [line.split(None, 1) for line in text.splitlines() if line and line[0] != "#"]
    steps = [(words[0], words[1] if len(words) > 1 else "") for words in lines]
    copied = " ".join(arg for op, arg in steps if op == "COPY" and "--from" not in arg)
    for needed in ("pyproject.toml", "README.md", "LICENSE", "src"):
        assert needed in copied  # what the wheel test builds from
    assert ("USER", "leadbook") in steps
    assert json.loads(dict(steps)["ENTRYPOINT"]) == ["leadbook"]
    _valid(json.loads(dict(steps)["CMD"]))
    env = dict(steps)["ENV"].replace("\\\n", " ").split()
    assert {item.split("=")[0] for item in env if item.startswith("LEADBOOK_")} <= SETTINGS


def test_compose_runs_migrate_then_serve_replicas_on_postgresql_and_redis():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web"} <= set(services)
    assert services["web"]["deploy"]["replicas"] >= 2
    for name in ("migrate", "web"):
        _valid(services[name]["command"])
        assert set(services[name]["environment"]) <= SETTINGS
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    if "worker" in COMMANDS:  # the worker's service is written, commented until it exists
        assert "worker" in services


def test_the_systemd_unit_serves_with_existing_options_and_settings():
    unit = (ROOT / "deploy" / "leadbook.service").read_text()
    (start,) = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    argv = shlex.split(start.removeprefix("ExecStart="))
    assert argv[0].endswith("/bin/leadbook")
    _valid(argv[1:])
    env = (ROOT / "deploy" / "leadbook.env").read_text().splitlines()
    assert {line.split("=")[0] for line in env if line and line[0] != "#"} <= SETTINGS
