"""The `leadbook` command: demo (idempotent), create-user, config, import and export."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from leadbook import cli
from leadbook.config import get_settings
from leadbook.models import Lead, User


@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args, **kw: runner.invoke(cli.app, list(args), catch_exceptions=False, **kw)
    get_settings.cache_clear()


def _leads(db) -> int:
    db.rollback()
    return db.scalar(select(func.count(Lead.id)))


def test_demo_is_idempotent(run, db):
    first = run("demo")
    assert first.exit_code == 0 and "mpadministrator" in first.stdout
    count = _leads(db)
    assert count >= 16
    second = run("demo")
    assert "0 lead(s) and 0 token(s) added" in second.stdout
    assert _leads(db) == count


def test_create_user_then_log_in(run, client):
    assert run("demo").exit_code == 0
    result = run(
        "create-user",
        "zoe",
        "--person-name",
        "Zoe Sales",
        "--unit",
        "Sales Unit",
        input="s3cret-pass\ns3cret-pass\n",
    )
    assert result.exit_code == 0, result.stdout
    answer = client.post(
        "/crmapi/rest/v2/authentication/token",
        json={"username": "zoe", "password": "s3cret-pass", "organisation": "LEADBOOK"},
    )
    assert answer.json()["status"]["code"] == "OK"


def test_create_user_grants_a_role_and_keeps_it_on_a_password_reset(run, db):
    assert run("demo").exit_code == 0
    made = run("create-user", "mia", "--role", "read_only", input="pass-one\npass-one\n")
    assert made.exit_code == 0, made.stdout
    reset = run("create-user", "mia", input="pass-two\npass-two\n")
    assert reset.exit_code == 0, reset.stdout
    db.rollback()
    assert db.scalar(select(User.role).where(User.username == "mia")) == "READ_ONLY"
    refused = run("create-user", "max", "--role", "king", input="p\np\n")
    assert refused.exit_code == 1 and "role must be one of" in refused.output


def test_config_export_then_apply_changes_nothing(run, tmp_path, db):
    run("demo")
    exported = run("config", "export").stdout
    path = tmp_path / "config.yaml"
    path.write_text(exported)
    applied = run("config", "apply", str(path))
    assert applied.exit_code == 0 and "created" in applied.stdout
    db.rollback()
    assert db.scalar(select(func.count(User.id))) == 6


def test_a_bad_config_file_is_refused(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("units: [{name: X, group: Nowhere}]\n")
    result = run("config", "apply", str(path))
    assert result.exit_code == 1


def test_a_value_of_the_wrong_kind_in_a_config_file_is_refused_naming_it(run, tmp_path, db):
    path = tmp_path / "bad.yaml"
    path.write_text("users: [{username: ok}, {username: eve, is_active: maybe}]\n")
    result = run("config", "apply", str(path))
    assert result.exit_code == 1 and "users[1].is_active: Input should be a valid boolean" in (
        result.output
    )
    db.rollback()
    assert db.scalar(select(func.count(User.id)).where(User.username.in_(["ok", "eve"]))) == 0


def test_export_then_dry_run_import_reports_duplicates(run, tmp_path, db):
    run("demo")
    out = tmp_path / "leads.csv"
    assert run("export", "--output", str(out)).exit_code == 0
    assert out.read_text().count("\n") == _leads(db) + 1
    before = _leads(db)
    result = run("import", str(out), "--dry-run", "--report", str(tmp_path / "r.csv"))
    assert result.exit_code == 2 and "duplicate" in result.stdout
    assert _leads(db) == before
    assert (tmp_path / "r.csv").read_text().startswith("line,column,message")


def test_create_and_revoke_an_api_key(run, client):
    import base64

    assert run("demo").exit_code == 0
    created = run("create-api-key", "mpadministrator", "--label", "shop")
    assert created.exit_code == 0
    key = created.stdout.strip()
    basic = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}
    url = "/crmapi/rest/v2/authentication/web_api_key/token"
    assert client.post(url, headers=basic).json()["data"]["token"]
    assert run("revoke-api-key", key).exit_code == 0
    assert client.post(url, headers=basic).status_code == 401
    assert run("revoke-api-key", key).exit_code == 1
    assert run("create-api-key", "nobody").exit_code == 1


def test_demo_installs_the_seed_tokens_only_on_request(run, client):
    show = {"token": "6B6300203CBC420900E2B585934F682A", "lead_identifier": "number=19"}
    url = "/crmapi/rest/v2/leads/show"
    assert "0 token(s)" in run("demo").stdout
    assert client.get(url, params=show).status_code == 401
    assert "token(s) added" in run("demo", "--seed-tokens").stdout
    assert client.get(url, params=show).status_code == 200


def test_create_user_keeps_an_admins_role_unless_told(run, db):
    def role() -> str:
        db.rollback()
        return db.scalar(select(User.role).where(User.username == "mpadministrator"))

    assert run("demo").exit_code == 0
    password = "new-pass\nnew-pass\n"
    assert run("create-user", "mpadministrator", input=password).exit_code == 0
    assert role() == "ADMIN"
    last = run("create-user", "mpadministrator", "--role", "sales", input=password)
    assert last.exit_code == 1 and "last active administrator" in last.stderr
    assert role() == "ADMIN"
    assert run("create-user", "other", "--role", "admin", input=password).exit_code == 0
    assert run("create-user", "mpadministrator", "--role", "sales", input=password).exit_code == 0
    assert role() == "SALES"


def test_version_comes_from_the_one_in_pyproject(run):
    import tomllib
    from pathlib import Path

    import leadbook

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    declared = pyproject["project"]["version"]
    assert run("--version").stdout == f"leadbook {declared}\n"
    assert leadbook.__version__ == declared
