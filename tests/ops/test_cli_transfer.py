"""`leadbook import` and `leadbook export` as an operator runs them."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from leadbook import cli
from leadbook.config import get_settings
from leadbook.models import Lead

HEADER = "type,importance,priority,contact_last_name,source_type,source_name,contact_email\n"


@pytest.fixture
def run(database_url, monkeypatch, demo):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli.app, list(args), catch_exceptions=False)
    get_settings.cache_clear()


def _leads(db) -> int:
    db.rollback()
    return db.scalar(select(func.count(Lead.id)))


def test_export_to_stdout_as_csv_and_json(run, db):
    leads = _leads(db)
    as_csv = run("export").stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == leads and rows[0]["number"].isdigit()
    as_json = json.loads(run("export", "--format", "json").stdout)
    assert [r["number"] for r in as_json] == [r["number"] for r in rows]
    assert run("export", "--format", "xml").exit_code == 1


def test_import_with_a_report_file_and_a_summary(run, db, tmp_path):
    path = tmp_path / "leads.csv"
    # written by a spreadsheet: a byte order mark and CRLF line ends
    body = HEADER + "New Customer,IMPORTANCE2,2,Ok,WEBSITE,s,ok@cli.test\n"
    body += "New Customer,IMPORTANCE2,2,Again,WEBSITE,s,OK@cli.test\n"
    body += "Nope,IMPORTANCE2,2,Bad,WEBSITE,s,bad@cli.test\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode())
    before = _leads(db)
    dry = run("import", str(path), "--dry-run")
    assert dry.exit_code == 2 and "1 lead(s) would be created (dry run)" in dry.stdout
    assert _leads(db) == before
    result = run("import", str(path), "--report", str(tmp_path / "problems.csv"))
    assert result.exit_code == 2
    assert "1 lead(s) created, 1 duplicate(s) skipped, 1 row(s) refused." in result.stdout
    assert _leads(db) == before + 1
    report = list(csv.DictReader(io.StringIO((tmp_path / "problems.csv").read_text())))
    assert [(r["line"], r["column"]) for r in report] == [("3", "contact_email"), ("4", "type")]
    assert "earlier row" in report[0]["message"] and "Nope" in report[1]["message"]


def test_import_by_an_unknown_user_fails_at_once(run, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(HEADER + "New Customer,IMPORTANCE2,2,A,WEBSITE,s,a@cli.test\n")
    result = run("import", str(path), "--user", "nobody")
    assert result.exit_code == 1 and "nobody" in result.output
