"""What deploy scripts rely on: `leadbook migrate --check`'s exit status, two concurrent
`leadbook migrate` runs both succeeding, `serve` refusing a database it cannot serve
(without creating an SQLite file), and `leadbook backup` of the SQLite default."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leadbook import migrate
from leadbook.db import make_engine, make_sessionmaker
from leadbook.models import Base, Lead, LeadType
from tests.conftest import BACKEND
from tests.servers import LEADBOOK


@pytest.fixture
def empty_url(_new_database) -> str:
    """A database that exists and holds no table at all."""
    url = _new_database("empty")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    return url


def _leadbook(url: str, *args: str, cwd: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "LEADBOOK_DATABASE_URL": url}
    return subprocess.Popen(
        [str(LEADBOOK), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(url: str, *args: str, cwd: Path | None = None) -> tuple[int, str]:
    process = _leadbook(url, *args, cwd=cwd)
    out, err = process.communicate(timeout=120)
    return process.returncode, " ".join((out + err).split())


def test_check_says_whether_the_schema_is_at_head(empty_url):
    code, said = _run(empty_url, "migrate", "--check")
    assert code == 1 and "no Leadbook schema: run `leadbook migrate`" in said
    migrate.upgrade(empty_url, "0005")
    code, said = _run(empty_url, "migrate", "--check")
    assert code == 1 and f"at 0005, this version needs {migrate.head()}" in said
    assert _run(empty_url, "migrate")[0] == 0
    assert _run(empty_url, "migrate", "--check") == (
        0,
        f"The database schema is at head ({migrate.head()}).",
    )


def test_check_does_not_create_an_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    code, said = _run(url, "migrate", "--check")
    assert code == 1 and "no database file" in said and "leadbook migrate" in said
    assert list(tmp_path.iterdir()) == []


def test_two_concurrent_migrations_both_succeed_and_install_the_defaults_once(empty_url):
    runs = [_leadbook(empty_url, "migrate") for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs]
    assert [code for code, _ in results] == [0, 0], results
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert migrate.revision(conn) == migrate.head()
    with make_sessionmaker(engine)() as db:
        assert db.scalars(select(LeadType.name)).all() == ["Lead"]
    engine.dispose()


def test_serve_refuses_a_database_without_the_schema(empty_url):
    code, said = _run(empty_url, "serve", "--port", "1")
    assert code == 1
    assert "not serving: the database has no Leadbook schema: run `leadbook migrate`" in said


def test_serve_refuses_a_missing_sqlite_file_and_creates_none(tmp_path):
    code, said = _run("sqlite:///leadbook.db", "serve", "--port", "1", cwd=tmp_path)
    assert code == 1 and "no database file leadbook.db: run `leadbook migrate`" in said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(BACKEND != "sqlite", reason="leadbook backup copies an SQLite database")
def test_backup_is_a_consistent_copy_while_a_write_is_under_way(database_url, tmp_path, demo):
    source = migrate.sqlite_file(database_url)
    assert source is not None
    writer = sqlite3.connect(source)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM lead_events")  # not committed while the copy is taken
    try:
        code, said = _run(database_url, "backup", str(tmp_path / "copy.db"))
    finally:
        writer.rollback()
        writer.close()
    assert code == 0 and "Copied" in said
    copy = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    with make_sessionmaker(copy)() as db:
        assert db.scalar(select(func.count(Lead.id))) >= 16
        assert db.scalar(select(func.count()).select_from(Base.metadata.tables["lead_events"]))
        assert db.execute(select(func.count()).select_from(LeadType)).scalar()
    with copy.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert migrate.revision(conn) == migrate.head()
    copy.dispose()
    assert _run(database_url, "backup", str(tmp_path / "copy.db"))[0] == 1  # never overwrites


@pytest.mark.skipif(BACKEND != "postgres", reason="the PostgreSQL refusal")
def test_backup_of_postgresql_points_to_pg_dump(database_url, tmp_path):
    code, said = _run(database_url, "backup", str(tmp_path / "copy.db"))
    assert code == 1 and "pg_dump" in said
