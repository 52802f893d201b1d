"""`leadbook import` and `leadbook export` as an operator runs them."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from leadbook import cli
from leadbook.config import get_settings
from leadbook.models import Group, Lead, Unit, User

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
    assert "has the same email" in report[0]["message"] and "Nope" in report[1]["message"]


def test_import_by_an_unknown_user_fails_at_once(run, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(HEADER + "New Customer,IMPORTANCE2,2,A,WEBSITE,s,a@cli.test\n")
    result = run("import", str(path), "--user", "nobody")
    assert result.exit_code == 1 and "nobody" in result.output


def _report(tmp_path) -> list[tuple[str, str, str]]:
    text = (tmp_path / "problems.csv").read_text(errors="surrogateescape")
    return [(r["line"], r["column"], r["message"]) for r in csv.DictReader(io.StringIO(text))]


def test_rows_no_column_can_hold_are_refused_in_their_column_and_the_rest_imported(
    run, db, tmp_path
):
    path = tmp_path / "leads.csv"
    header = HEADER.strip() + ",topic,target_amount,number\n"
    good = "New Customer,IMPORTANCE2,2,{name},WEBSITE,s,{name}@cli.test,{topic},{amount},{number}\n"
    rows = [
        good.format(name="Nul", topic="a\x00b", amount="", number=""),
        good.format(name="Inf", topic="", amount="inf", number=""),
        good.format(name="Huge", topic="", amount="1e400", number=""),
        good.format(name="Max", topic="", amount="", number="2147483647"),
        good.format(name="Last", topic="", amount="", number="999999999"),
        good.format(name="Fine", topic="fine", amount="10", number=""),
    ]
    path.write_bytes(
        (header + "".join(rows)).encode()
        + good.format(name="Latin", topic="caf", amount="", number="")
        .encode()
        .replace(b"caf", b"caf\xe9")
    )
    before = _leads(db)
    result = run("import", str(path), "--report", str(tmp_path / "problems.csv"))
    assert result.exit_code == 2, result.stdout
    assert "1 lead(s) created, 0 duplicate(s) skipped, 6 row(s) refused." in result.stdout
    assert [(line, column) for line, column, _ in _report(tmp_path)] == [
        ("2", "topic"),
        ("3", "target_amount"),
        ("4", "target_amount"),
        ("5", "number"),
        ("6", "number"),
        ("8", "topic"),
    ]
    messages = [message for _, _, message in _report(tmp_path)]
    assert "NUL" in messages[0] and "finite" in messages[1] and "finite" in messages[2]
    assert "from 1 to 999999998" in messages[3] and "surrogate" in messages[5]
    assert _leads(db) == before + 1
    # the counter was left where it can go on: a new lead still gets a number
    again = tmp_path / "again.csv"
    again.write_text(header + good.format(name="Next", topic="", amount="", number=""))
    assert run("import", str(again)).exit_code == 0
    assert _leads(db) == before + 2


def test_a_database_error_on_one_row_refuses_that_row_only(run, db, tmp_path, monkeypatch):
    from sqlalchemy import text

    from leadbook.ops.transfer import importing

    create = importing.leads.create

    def failing_on_boom(session, actor, changes, **kwargs):
        if changes.values.get("topic") == "boom":
            session.execute(text("SELECT no_such_column FROM no_such_table"))
        return create(session, actor, changes, **kwargs)

    monkeypatch.setattr(importing.leads, "create", failing_on_boom)
    path = tmp_path / "leads.csv"
    header = HEADER.strip() + ",topic\n"
    line = "New Customer,IMPORTANCE2,2,{0},WEBSITE,s,{0}@cli.test,{1}\n"
    path.write_text(
        header + line.format("One", "") + line.format("Two", "boom") + line.format("Three", "")
    )
    before = _leads(db)
    result = run("import", str(path), "--report", str(tmp_path / "problems.csv"))
    assert "2 lead(s) created, 0 duplicate(s) skipped, 1 row(s) refused." in result.stdout
    [(row, column, message)] = _report(tmp_path)
    assert row == "3" and column == "" and message.startswith("the database refused the row")
    assert _leads(db) == before + 2


def test_export_for_a_user_writes_only_the_leads_it_sees(run, db):
    group = db.scalar(select(Group).where(Group.name == "CSR Group"))
    db.add(User(username="otto", unit=Unit(name="CSR Unit", group=group)))
    db.commit()
    seen = {
        str(n)
        for n in db.scalars(
            select(Lead.number).where(
                Lead.owned_by_group_id == group.id, Lead.privacy_level_id.is_(None)
            )
        )
    }
    exported = {
        row["number"] for row in csv.DictReader(io.StringIO(run("export", "--user", "otto").stdout))
    }
    assert exported == seen and 0 < len(seen) < _leads(db)
