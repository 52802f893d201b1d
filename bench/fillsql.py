"""A bench fill's leads written fast, their summaries after: the leads' triggers off while
rows are loaded, then ``lead_search`` and ``lead_totals`` written set-based with the same
SQL the migrations fill them with (leadbook.models.search / totals), and checked against a
scan of the leads.

    with untriggered(cursor, dialect):
        ...  # COPY (PostgreSQL) or executemany (SQLite) into leads
    summarise(cursor, dialect)  # then commit; check(cursor, dialect) returns the mismatches

PostgreSQL turns the triggers off for the session (``session_replication_role``); SQLite
drops the leads' INSERT triggers and makes them again from the models' statements, in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from leadbook.models import search, totals

# SQLite's triggers a lead's INSERT fires, made again by the models' statements
SQLITE_INSERT_TRIGGERS = ("lead_search_of_new_lead", "lead_totals_of_new_lead")
GIN = "ix_lead_search_doc_trgm"  # PostgreSQL's trigram index: built once after the rows


def _made(dialect: str, name: str) -> str:
    """The models' statement making the trigger or index ``name`` on ``dialect``."""
    (found,) = [
        sql
        for sql in search.statements(dialect) + totals.statements(dialect)
        if sql.startswith(("CREATE TRIGGER", "CREATE INDEX")) and sql.split()[2] == name
    ]
    return found


@contextmanager
def untriggered(cursor: Any, dialect: str) -> Iterator[None]:
    """Loads rows into ``leads`` inside without firing its triggers (and, on PostgreSQL,
    without the foreign keys' checks): ``summarise`` must follow."""
    if dialect == "postgresql":
        cursor.execute("SET session_replication_role = replica")
        yield
        cursor.execute("SET session_replication_role = origin")
        return
    for name in SQLITE_INSERT_TRIGGERS:
        cursor.execute(f"DROP TRIGGER {name}")
    yield
    for name in SQLITE_INSERT_TRIGGERS:
        cursor.execute(_made(dialect, name))


def summarise(cursor: Any, dialect: str) -> None:
    """Writes every lead's search text and the totals anew, set-based (PostgreSQL: the
    trigram index built after the texts, faster than a million inserts into it)."""
    cursor.execute("DELETE FROM lead_totals")
    cursor.execute(totals.fill_sql())
    if dialect == "postgresql":
        cursor.execute(f"DROP INDEX IF EXISTS {GIN}")
    cursor.execute("DELETE FROM lead_search")
    cursor.execute(search.fill_sql(dialect))
    if dialect == "postgresql":
        cursor.execute(_made(dialect, GIN))


def check(cursor: Any, dialect: str) -> list[str]:
    """Returns what differs between the summaries and a scan of the leads (nothing when
    they agree): the totals rows either side lacks, the leads whose search text is missing
    or stale."""
    scan = totals.fill_sql()
    scan = scan[scan.index("SELECT") :]
    kept = f"SELECT {totals.KEY}, count, amount, weighted, weighed FROM lead_totals"
    kept += " WHERE count <> 0"  # a key whose last lead left keeps a row of zeros
    wrong = []
    for label, sql in (("totals kept, not scanned", f"{kept} EXCEPT {scan}"),
                       ("totals scanned, not kept", f"{scan} EXCEPT {kept}")):  # fmt: skip
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS d")
        if n := cursor.fetchone()[0]:
            wrong.append(f"{n} {label}")
    differs = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    cursor.execute(
        "SELECT count(*) FROM leads l JOIN contacts c ON c.id = l.contact_id "
        "LEFT JOIN lead_search s ON s.lead_id = l.id "
        f"WHERE s.number {differs} l.number OR s.doc {differs} {search.doc_sql(dialect)}"
    )
    if n := cursor.fetchone()[0]:
        wrong.append(f"{n} leads' search text missing or stale")
    cursor.execute(
        "SELECT count(*) FROM lead_search s WHERE NOT EXISTS "
        "(SELECT 1 FROM leads l WHERE l.id = s.lead_id)"
    )
    if n := cursor.fetchone()[0]:
        wrong.append(f"{n} search texts of no lead")
    return wrong
