"""contact search on SQLite: the contact picker's text of each contact, kept by triggers on
contacts, and an FTS5 table (trigram tokenizer) over it; PostgreSQL already indexes that
text (ix_contacts_text_trgm, 0025): nothing to do there

The statements are those of leadbook.models.search as of this revision, frozen here: the
table, its first fill, then the FTS5 table built from it at once ('rebuild'), then the
triggers (a fill through the triggers would index a million contacts one by one).

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-26 14:20:00
"""
from alembic import op


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

TABLE = 'CREATE TABLE contact_search (id INTEGER PRIMARY KEY, contact_id VARCHAR(32) NOT NULL UNIQUE, doc TEXT NOT NULL)'
FILL = "INSERT INTO contact_search (contact_id, doc) SELECT id, coalesce(number, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone_key, '') FROM contacts WHERE true ON CONFLICT (contact_id) DO UPDATE SET doc = excluded.doc"
FTS = "CREATE VIRTUAL TABLE contact_search_fts USING fts5(doc, content='contact_search', content_rowid='id', tokenize='trigram')"
REBUILD = "INSERT INTO contact_search_fts (contact_search_fts) VALUES ('rebuild')"
TRIGGERS = [
    'CREATE TRIGGER contact_search_fts_insert AFTER INSERT ON contact_search BEGIN INSERT INTO contact_search_fts (rowid, doc) VALUES (NEW.id, NEW.doc); END',
    "CREATE TRIGGER contact_search_fts_delete AFTER DELETE ON contact_search BEGIN INSERT INTO contact_search_fts (contact_search_fts, rowid, doc) VALUES ('delete', OLD.id, OLD.doc); END",
    "CREATE TRIGGER contact_search_fts_update AFTER UPDATE ON contact_search BEGIN INSERT INTO contact_search_fts (contact_search_fts, rowid, doc) VALUES ('delete', OLD.id, OLD.doc); INSERT INTO contact_search_fts (rowid, doc) VALUES (NEW.id, NEW.doc); END",
    "CREATE TRIGGER contact_search_of_new_contact AFTER INSERT ON contacts BEGIN INSERT INTO contact_search (contact_id, doc) SELECT id, coalesce(number, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone_key, '') FROM contacts WHERE id = NEW.id ON CONFLICT (contact_id) DO UPDATE SET doc = excluded.doc; END",
    "CREATE TRIGGER contact_search_of_contact AFTER UPDATE OF number, first_name, last_name, company_name, email, phone_key ON contacts BEGIN INSERT INTO contact_search (contact_id, doc) SELECT id, coalesce(number, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone_key, '') FROM contacts WHERE id = NEW.id ON CONFLICT (contact_id) DO UPDATE SET doc = excluded.doc; END",
    'CREATE TRIGGER contact_search_of_deleted_contact AFTER DELETE ON contacts BEGIN DELETE FROM contact_search WHERE contact_id = OLD.id; END',
]
TRIGGER_NAMES = ('contact_search_fts_insert', 'contact_search_fts_delete', 'contact_search_fts_update', 'contact_search_of_new_contact', 'contact_search_of_contact', 'contact_search_of_deleted_contact')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for statement in (TABLE, FILL, FTS, REBUILD, *TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for trigger in TRIGGER_NAMES:
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute('DROP TABLE IF EXISTS contact_search_fts')
    op.execute('DROP TABLE IF EXISTS contact_search')
