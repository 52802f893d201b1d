"""lead search: one text per lead, kept by triggers, indexed for substring search

PostgreSQL: pg_trgm and a GIN index; SQLite: an FTS5 table (trigram tokenizer) over it.
The statements are those of leadbook.models.search as of this revision, frozen here.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-26 11:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

POSTGRESQL = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX ix_lead_search_doc_trgm ON lead_search USING gin (doc gin_trgm_ops)',
    "CREATE INDEX ix_contacts_text_trgm ON contacts USING gin ((coalesce(number, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone_key, '')) gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION lead_search_of_lead() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, concat_ws(' ', l.topic, l.description, l.contact_email, regexp_replace(l.contact_phone, '[^0-9]', '', 'g'), c.first_name, c.middle_name, c.last_name, c.company_name, c.email, regexp_replace(c.phone_key, '[^0-9]', '', 'g'), regexp_replace(c.phone, '[^0-9]', '', 'g')) FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.id = NEW.id ON CONFLICT (lead_id) DO UPDATE SET number = excluded.number, doc = excluded.doc; RETURN NULL; END $$",
    'CREATE TRIGGER lead_search_of_lead AFTER INSERT OR UPDATE OF number, topic, description, contact_email, contact_phone, contact_id ON leads FOR EACH ROW EXECUTE FUNCTION lead_search_of_lead()',
    "CREATE OR REPLACE FUNCTION lead_search_of_contact() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE lead_search SET doc = (SELECT concat_ws(' ', l.topic, l.description, l.contact_email, regexp_replace(l.contact_phone, '[^0-9]', '', 'g'), c.first_name, c.middle_name, c.last_name, c.company_name, c.email, regexp_replace(c.phone_key, '[^0-9]', '', 'g'), regexp_replace(c.phone, '[^0-9]', '', 'g')) FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.id = lead_search.lead_id) WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = NEW.id); RETURN NULL; END $$",
    'CREATE TRIGGER lead_search_of_contact AFTER UPDATE OF first_name, middle_name, last_name, company_name, email, phone, phone_key ON contacts FOR EACH ROW EXECUTE FUNCTION lead_search_of_contact()',
]
SQLITE = [
    "CREATE VIRTUAL TABLE lead_search_fts USING fts5(doc, content='lead_search', content_rowid='number', tokenize='trigram')",
    'CREATE TRIGGER lead_search_fts_insert AFTER INSERT ON lead_search BEGIN INSERT INTO lead_search_fts (rowid, doc) VALUES (NEW.number, NEW.doc); END',
    "CREATE TRIGGER lead_search_fts_delete AFTER DELETE ON lead_search BEGIN INSERT INTO lead_search_fts (lead_search_fts, rowid, doc) VALUES ('delete', OLD.number, OLD.doc); END",
    "CREATE TRIGGER lead_search_fts_update AFTER UPDATE ON lead_search BEGIN INSERT INTO lead_search_fts (lead_search_fts, rowid, doc) VALUES ('delete', OLD.number, OLD.doc); INSERT INTO lead_search_fts (rowid, doc) VALUES (NEW.number, NEW.doc); END",
    "CREATE TRIGGER lead_search_of_new_lead AFTER INSERT ON leads BEGIN INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, coalesce(l.topic, '') || ' ' || coalesce(l.description, '') || ' ' || coalesce(l.contact_email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(l.contact_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.middle_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone_key, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.id = NEW.id ON CONFLICT (lead_id) DO UPDATE SET number = excluded.number, doc = excluded.doc; END",
    "CREATE TRIGGER lead_search_of_lead AFTER UPDATE OF number, topic, description, contact_email, contact_phone, contact_id ON leads BEGIN INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, coalesce(l.topic, '') || ' ' || coalesce(l.description, '') || ' ' || coalesce(l.contact_email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(l.contact_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.middle_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone_key, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.id = NEW.id ON CONFLICT (lead_id) DO UPDATE SET number = excluded.number, doc = excluded.doc; END",
    'CREATE TRIGGER lead_search_of_deleted_lead AFTER DELETE ON leads BEGIN DELETE FROM lead_search WHERE lead_id = OLD.id; END',
    "CREATE TRIGGER lead_search_of_contact AFTER UPDATE OF first_name, middle_name, last_name, company_name, email, phone, phone_key ON contacts BEGIN UPDATE lead_search SET doc = (SELECT coalesce(l.topic, '') || ' ' || coalesce(l.description, '') || ' ' || coalesce(l.contact_email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(l.contact_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.middle_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone_key, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.id = lead_search.lead_id) WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = NEW.id); END",
]
FILL = {
    'postgresql': "INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, concat_ws(' ', l.topic, l.description, l.contact_email, regexp_replace(l.contact_phone, '[^0-9]', '', 'g'), c.first_name, c.middle_name, c.last_name, c.company_name, c.email, regexp_replace(c.phone_key, '[^0-9]', '', 'g'), regexp_replace(c.phone, '[^0-9]', '', 'g')) FROM leads l JOIN contacts c ON c.id = l.contact_id",
    'sqlite': "INSERT INTO lead_search (number, lead_id, doc) SELECT l.number, l.id, coalesce(l.topic, '') || ' ' || coalesce(l.description, '') || ' ' || coalesce(l.contact_email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(l.contact_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.middle_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone_key, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', ''), '') FROM leads l JOIN contacts c ON c.id = l.contact_id",
}


def upgrade() -> None:
    op.create_table(
        'lead_search',
        sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('lead_id', sa.String(length=32), nullable=False),
        sa.Column('doc', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_search_lead_id_leads'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('number', name=op.f('pk_lead_search')),
        sa.UniqueConstraint('lead_id', name=op.f('uq_lead_search_lead_id')),
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL if dialect == 'postgresql' else SQLITE:
        op.execute(statement)
    op.execute(FILL[dialect])
    if dialect == 'postgresql':
        op.execute('ANALYZE lead_search')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_contacts_text_trgm')
        op.execute('DROP TRIGGER IF EXISTS lead_search_of_contact ON contacts')
        op.execute('DROP TRIGGER IF EXISTS lead_search_of_lead ON leads')
        op.execute('DROP FUNCTION IF EXISTS lead_search_of_contact()')
        op.execute('DROP FUNCTION IF EXISTS lead_search_of_lead()')
    else:
        for trigger in ('lead_search_of_contact', 'lead_search_of_deleted_lead', 'lead_search_of_lead', 'lead_search_of_new_lead'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute('DROP TABLE IF EXISTS lead_search_fts')
    op.drop_table('lead_search')
