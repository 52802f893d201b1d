"""What lead search reads: one text per lead (``lead_search``), kept by the database.

A lead's search text holds its topic, description, email and phone and its contact's
names, company, email and phones (phones also as their digits alone). Triggers on
``leads`` and ``contacts`` keep it in step with every write, whoever makes it, so no write
path knows about search. Each database indexes it for substring search: PostgreSQL with a
``pg_trgm`` GIN index, SQLite with an FTS5 table (trigram tokenizer) over it, kept by
triggers on ``lead_search``. The contact picker's text of each contact (``contact_text_sql``)
is indexed too: PostgreSQL with a trigram GIN index on that expression, SQLite with
``contact_search`` (the text of each contact, kept by triggers on ``contacts``) and an FTS5
table over it. Those (the GIN indexes, ``contact_search``, the FTS5 tables and their shadow
tables, the triggers) are not models: ``compared`` leaves them out of the model comparison,
and a test compares them between a migrated database and one the models made (``DDL``
below, run after the table is created). Migrations 0025 and 0028 create the same.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base


class LeadSearch(Base):
    """A lead's search text; ``number`` is the lead's (the FTS5 table's rowid on SQLite)."""

    __tablename__ = "lead_search"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lead_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("leads.id", ondelete="CASCADE"), unique=True
    )
    doc: Mapped[str] = mapped_column(Text)


def _digits(column: str, dialect: str) -> str:
    """SQL giving ``column`` without the separators phones are written with."""
    if dialect == "postgresql":
        return f"regexp_replace({column}, '[^0-9]', '', 'g')"
    sql = column
    for sign in (" ", "-", "(", ")", ".", "/", "+"):
        sql = f"replace({sql}, '{sign}', '')"
    return sql


def doc_sql(dialect: str) -> str:
    """SQL giving the search text of lead ``l`` with its contact ``c``."""
    parts = [
        "l.topic",
        "l.description",
        "l.contact_email",
        _digits("l.contact_phone", dialect),
        "c.first_name",
        "c.middle_name",
        "c.last_name",
        "c.company_name",
        "c.email",
        _digits("c.phone_key", dialect),
        _digits("c.phone", dialect),
    ]
    if dialect == "postgresql":
        return f"concat_ws(' ', {', '.join(parts)})"
    return " || ' ' || ".join(f"coalesce({part}, '')" for part in parts)


# what the contact picker's suggestions search (domain/contacts.py), one text per contact
CONTACT_TEXT = ("number", "first_name", "last_name", "company_name", "email", "phone_key")


def contact_text_sql(prefix: str = "") -> str:
    """SQL giving a contact's text the picker searches (the columns of CONTACT_TEXT, each
    named after ``prefix``); PostgreSQL indexes this very expression, SQLite stores it in
    ``contact_search``."""
    return " || ' ' || ".join(f"coalesce({prefix}{column}, '')" for column in CONTACT_TEXT)


def contact_fill_sql(contact_id: str | None = None) -> str:
    """SQL writing the picker's text of the contact whose id is the SQL ``contact_id``
    (SQLite's ``contact_search``), or of every contact (None: a migration's first fill)."""
    where = "true" if contact_id is None else f"id = {contact_id}"  # WHERE: an upsert's SELECT
    return (
        f"INSERT INTO contact_search (contact_id, doc) SELECT id, {contact_text_sql()} "
        f"FROM contacts WHERE {where} ON CONFLICT (contact_id) DO UPDATE SET doc = excluded.doc"
    )


def contact_statements() -> list[str]:
    """SQLite's statements making ``contact_search`` (one picker text per contact, its own
    integer key: a contact's id is text), its FTS5 table and their triggers."""
    fts = "INSERT INTO contact_search_fts (rowid, doc) VALUES (NEW.id, NEW.doc);"
    fts_delete = (
        "INSERT INTO contact_search_fts (contact_search_fts, rowid, doc) "
        "VALUES ('delete', OLD.id, OLD.doc);"
    )
    columns = ", ".join(CONTACT_TEXT)
    return [
        "CREATE TABLE contact_search (id INTEGER PRIMARY KEY, "
        "contact_id VARCHAR(32) NOT NULL UNIQUE, doc TEXT NOT NULL)",
        "CREATE VIRTUAL TABLE contact_search_fts USING fts5(doc, content='contact_search', "
        "content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER contact_search_fts_insert AFTER INSERT ON contact_search BEGIN {fts} END",
        "CREATE TRIGGER contact_search_fts_delete AFTER DELETE ON contact_search "
        f"BEGIN {fts_delete} END",
        "CREATE TRIGGER contact_search_fts_update AFTER UPDATE ON contact_search "
        f"BEGIN {fts_delete} {fts} END",
        "CREATE TRIGGER contact_search_of_new_contact AFTER INSERT ON contacts "
        f"BEGIN {contact_fill_sql('NEW.id')}; END",
        f"CREATE TRIGGER contact_search_of_contact AFTER UPDATE OF {columns} ON contacts "
        f"BEGIN {contact_fill_sql('NEW.id')}; END",
        "CREATE TRIGGER contact_search_of_deleted_contact AFTER DELETE ON contacts "
        "BEGIN DELETE FROM contact_search WHERE contact_id = OLD.id; END",
    ]


LEAD_COLUMNS = "number, topic, description, contact_email, contact_phone, contact_id"
CONTACT_COLUMNS = "first_name, middle_name, last_name, company_name, email, phone, phone_key"


def _upsert(dialect: str, lead_id: str) -> str:
    """SQL writing the search text of the lead whose id is the SQL ``lead_id``."""
    return (
        f"INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, "
        f"{doc_sql(dialect)} FROM leads l JOIN contacts c ON c.id = l.contact_id "
        f"WHERE l.id = {lead_id} "
        "ON CONFLICT (lead_id) DO UPDATE SET number = excluded.number, doc = excluded.doc"
    )


def _refresh_of_contact(dialect: str, contact_id: str) -> str:
    """SQL rewriting the search texts of the leads of the contact whose id is the SQL
    ``contact_id``."""
    return (
        f"UPDATE lead_search SET doc = (SELECT {doc_sql(dialect)} FROM leads l "
        "JOIN contacts c ON c.id = l.contact_id WHERE l.id = lead_search.lead_id) "
        f"WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = {contact_id})"
    )


def statements(dialect: str) -> list[str]:
    """The statements making what indexes and keeps ``lead_search`` on ``dialect``."""
    if dialect == "postgresql":
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX ix_lead_search_doc_trgm ON lead_search USING gin (doc gin_trgm_ops)",
            "CREATE INDEX ix_contacts_text_trgm ON contacts "
            f"USING gin (({contact_text_sql()}) gin_trgm_ops)",
            "CREATE OR REPLACE FUNCTION lead_search_of_lead() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ "
            f"BEGIN {_upsert(dialect, 'NEW.id')}; RETURN NULL; END $$",
            f"CREATE TRIGGER lead_search_of_lead AFTER INSERT OR UPDATE OF {LEAD_COLUMNS} "
            "ON leads FOR EACH ROW EXECUTE FUNCTION lead_search_of_lead()",
            "CREATE OR REPLACE FUNCTION lead_search_of_contact() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ "
            f"BEGIN {_refresh_of_contact(dialect, 'NEW.id')}; RETURN NULL; END $$",
            f"CREATE TRIGGER lead_search_of_contact AFTER UPDATE OF {CONTACT_COLUMNS} "
            "ON contacts FOR EACH ROW EXECUTE FUNCTION lead_search_of_contact()",
        ]
    fts_delete = (
        "INSERT INTO lead_search_fts (lead_search_fts, rowid, doc) "
        "VALUES ('delete', OLD.number, OLD.doc);"
    )
    fts_insert = "INSERT INTO lead_search_fts (rowid, doc) VALUES (NEW.number, NEW.doc);"
    return [
        "CREATE VIRTUAL TABLE lead_search_fts USING fts5(doc, content='lead_search', "
        "content_rowid='number', tokenize='trigram')",
        f"CREATE TRIGGER lead_search_fts_insert AFTER INSERT ON lead_search BEGIN {fts_insert} END",
        f"CREATE TRIGGER lead_search_fts_delete AFTER DELETE ON lead_search BEGIN {fts_delete} END",
        "CREATE TRIGGER lead_search_fts_update AFTER UPDATE ON lead_search "
        f"BEGIN {fts_delete} {fts_insert} END",
        "CREATE TRIGGER lead_search_of_new_lead AFTER INSERT ON leads "
        f"BEGIN {_upsert(dialect, 'NEW.id')}; END",
        f"CREATE TRIGGER lead_search_of_lead AFTER UPDATE OF {LEAD_COLUMNS} ON leads "
        f"BEGIN {_upsert(dialect, 'NEW.id')}; END",
        "CREATE TRIGGER lead_search_of_deleted_lead AFTER DELETE ON leads "
        "BEGIN DELETE FROM lead_search WHERE lead_id = OLD.id; END",
        f"CREATE TRIGGER lead_search_of_contact AFTER UPDATE OF {CONTACT_COLUMNS} ON contacts "
        f"BEGIN {_refresh_of_contact(dialect, 'NEW.id')}; END",
    ]


def fill_sql(dialect: str) -> str:
    """SQL writing the search text of every lead (a migration's first fill)."""
    return (
        f"INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, "
        f"{doc_sql(dialect)} FROM leads l JOIN contacts c ON c.id = l.contact_id"
    )


# what the models do not describe: the FTS5 tables and their shadow tables, SQLite's
# picker texts, the GIN indexes
UNMODELLED = (
    "lead_search_fts",
    "contact_search",
    "ix_lead_search_doc_trgm",
    "ix_contacts_text_trgm",
)


def compared(name: str | None, type_: Any, parent_names: Any) -> bool:
    """Alembic's ``include_name``: False for the search objects the models leave out."""
    return not (name or "").startswith(UNMODELLED)


FUNCTIONS = ("lead_search_of_lead", "lead_search_of_contact")  # PostgreSQL's, for the triggers

for _dialect, _statements in (
    ("postgresql", statements("postgresql")),
    ("sqlite", statements("sqlite") + contact_statements()),
):
    for _statement in _statements:
        event.listen(
            LeadSearch.__table__,
            "after_create",
            DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect),
        )

# SQLite's triggers on other tables, and its FTS5 table: dropped with lead_search
# (drop_all; SQLite refuses to drop ``leads`` while a trigger on it names lead_search)
SQLITE_TRIGGERS = (
    "lead_search_of_new_lead",
    "lead_search_of_lead",
    "lead_search_of_deleted_lead",
    "lead_search_of_contact",
    "contact_search_of_new_contact",
    "contact_search_of_contact",
    "contact_search_of_deleted_contact",
)
_DROPS = [
    ("before_drop", "sqlite", f"DROP TRIGGER IF EXISTS {name}") for name in SQLITE_TRIGGERS
]
_DROPS += [
    ("after_drop", "sqlite", f"DROP TABLE IF EXISTS {name}")
    for name in ("lead_search_fts", "contact_search_fts", "contact_search")
]
_DROPS += [  # functions outlive tables; their triggers go with them
    ("after_drop", "postgresql", f"DROP FUNCTION IF EXISTS {name}() CASCADE")
    for name in FUNCTIONS
]
for _when, _dialect, _statement in _DROPS:
    event.listen(LeadSearch.__table__, _when, DDL(_statement).execute_if(dialect=_dialect))
