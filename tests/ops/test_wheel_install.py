"""The built wheel holds everything an operator needs: installed in a fresh virtual
environment outside the checkout, `leadbook migrate`, `demo` and `serve` work, and a
login and a show answer. The steps a container image build takes (docs/operations.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import leadbook
from tests.conftest import API
from tests.servers import served

CHECKOUT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.wheel, pytest.mark.once]


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with only the wheel built from a copy of the sources
    (and its dependencies, at the versions the test environment has); its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(
        CHECKOUT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(CHECKOUT / name, source / name)
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        root / "dist",
        source,
        cwd=root,
    )
    (wheel,) = (root / "dist").glob("leadbook-*.whl")
    frozen = _run(sys.executable, "-m", "pip", "freeze", "--exclude-editable", cwd=root)
    constraints = root / "constraints.txt"
    constraints.write_text(
        "".join(line + "\n" for line in frozen.splitlines() if not line.startswith("leadbook"))
    )
    _run(sys.executable, "-m", "venv", root / "venv", cwd=root)
    pip = root / "venv" / "bin" / "pip"
    _run(pip, "install", "-q", "--no-compile", "-c", constraints, wheel, cwd=root)
    return root / "venv" / "bin"


def test_the_installed_wheel_migrates_loads_the_demo_and_serves(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["LEADBOOK_DATABASE_URL"] = url = f"sqlite:///{tmp_path / 'leadbook.db'}"
    where = _run(
        installed / "python",
        "-c",
        "import leadbook; print(leadbook.__file__)",
        cwd=tmp_path,
        env=env,
    )
    assert Path(where.strip()).is_relative_to(installed.parent)  # not the checkout's
    version = _run(installed / "leadbook", "--version", cwd=tmp_path, env=env)
    assert version == f"leadbook {leadbook.__version__}\n"
    _run(installed / "leadbook", "migrate", cwd=tmp_path, env=env)
    assert "at head" in _run(installed / "leadbook", "migrate", "--check", cwd=tmp_path, env=env)
    assert "mpadministrator" in _run(installed / "leadbook", "demo", cwd=tmp_path, env=env)
    with served(url, tmp_path / "serve.log", leadbook=installed / "leadbook", cwd=tmp_path) as s:
        login = httpx.post(
            f"{s.url}{API}/authentication/token",
            json={
                "username": "mpadministrator",
                "password": "leadbook-demo",
                "organisation": "LEADBOOK",
            },
        ).json()
        assert login["status"]["code"] == "OK", login
        shown = httpx.get(
            f"{s.url}{API}/leads/show",
            params={
                "token": login["data"]["token"],
                "lead_identifier": "number=5",
                "fields_set": "number,life_cycle_state",
            },
        ).json()
        assert shown["data"] == {"number": "5", "life_cycle_state": "PENDING"}, shown
        page = httpx.get(f"{s.url}/web/login")
        assert page.status_code == 200 and "password" in page.text  # the packaged templates
        assert httpx.get(f"{s.url}/web/static/htmx.min.js").status_code == 200
        assert httpx.get(f"{s.url}/readyz").json()["status"] == "ready"
        _run(installed / "leadbook", "backup", "copy.db", cwd=tmp_path, env=env)
    assert (tmp_path / "copy.db").stat().st_size > 0
