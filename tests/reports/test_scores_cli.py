"""`leadbook config apply` with scoring rules, then `leadbook scores recompute`."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from leadbook import cli
from leadbook import models as m
from leadbook.config import get_settings

RULES = """
scoring_rules:
  - {name: Every lead, points: 4}
  - {name: Web leads, conditions: {source_type: WEBSITE}, points: 6}
"""


@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("LEADBOOK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli.app, list(args), catch_exceptions=False)
    get_settings.cache_clear()


def test_rules_applied_then_open_leads_rescored(run, tmp_path, db):
    assert run("demo").exit_code == 0
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    assert run("config", "apply", str(path)).exit_code == 0
    done = run("scores", "recompute")
    assert done.exit_code == 0 and "score(s) changed" in done.stdout
    db.rollback()
    for lead in db.scalars(select(m.Lead).where(m.Lead.life_cycle_state == "PENDING")):
        assert lead.score == 4 + (6 if lead.source_type == "WEBSITE" else 0)
    exported = run("config", "export")
    assert "Web leads" in exported.stdout


def test_a_bad_rule_in_the_file_is_refused_naming_it(run, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("scoring_rules:\n  - {name: Bad, kind: decay, days: 99999, points: -1}\n")
    refused = run("config", "apply", str(path))
    assert refused.exit_code != 0 and "days" in refused.output
