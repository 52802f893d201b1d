"""Settings: checked at start-up with the variable named, documented in one generated table."""

import re
import subprocess
from pathlib import Path

import pytest

from leadbook import settingsdoc
from leadbook.config import Settings, SettingsError, get_settings
from tests.servers import LEADBOOK

pytestmark = pytest.mark.once

DOC = Path(__file__).parents[2] / "docs" / "operations.md"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    variables = {"PATH": "/usr/bin:/bin", **{f"LEADBOOK_{k.upper()}": v for k, v in env.items()}}
    return subprocess.run(
        [str(LEADBOOK), *args], env=variables, capture_output=True, text=True, timeout=60
    )


def test_the_documented_table_is_the_settings_class():
    documented = re.search(
        r"<!-- settings table:.*?-->\n(.*?)<!-- end of settings table -->", DOC.read_text(), re.S
    )
    assert documented and documented.group(1) == settingsdoc.markdown()
    for name in Settings.model_fields:
        assert f"`LEADBOOK_{name.upper()}`" in documented.group(1)


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("token_ttl_seconds", "0", "greater than or equal to 60"),
        ("token_ttl_seconds", "2h", "valid integer"),
        ("login_failures_per_user", "ten a minute", "not a rate"),
        ("trusted_proxies", "10.0.0.1, proxy.local", "'proxy.local' is not an IP address"),
        ("database_url", "mysql://db/leads", "SQLite or PostgreSQL"),
        ("redis_url", "127.0.0.1:6379", "redis://"),
        ("password_hash_cost", "cheap", "'production' or 'cheapest'"),
        ("busy_timeout_seconds", "0", "greater than 0"),
        ("xml_business_file_id", "a/b", "should match pattern"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(monkeypatch, name, value, reason):
    monkeypatch.setenv(f"LEADBOOK_{name.upper()}", value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert str(refused.value).startswith(f"LEADBOOK_{name.upper()}={value!r}: ")
    assert reason in str(refused.value)


def test_serve_refuses_bad_settings_before_serving_without_a_traceback():
    result = _run("serve", "--port", "1", token_ttl_seconds="2h", keep_alive_seconds="-1")
    assert result.returncode == 1
    assert "LEADBOOK_TOKEN_TTL_SECONDS='2h'" in result.stderr
    assert "LEADBOOK_KEEP_ALIVE_SECONDS='-1'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_every_command_checks_the_settings():
    result = _run("config", "export", database_url="nonsense")
    assert result.returncode == 1 and "LEADBOOK_DATABASE_URL='nonsense'" in result.stderr


def test_settings_prints_the_values_in_force_without_passwords():
    url = "postgresql+psycopg://leads:s3cret@db.example:5432/leads"
    result = _run("settings", database_url=url, token_ttl_seconds="600")
    assert result.returncode == 0, result.stderr
    assert "LEADBOOK_TOKEN_TTL_SECONDS=600" in result.stdout
    assert "LEADBOOK_DATABASE_URL=postgresql+psycopg://leads:***@db.example" in result.stdout
    assert "s3cret" not in result.stdout
    assert _run("settings", "--markdown", token_ttl_seconds="0").stdout == settingsdoc.markdown()
