"""report rows carry the lead's access columns (issue 18: every report under 1 s)

Each stay (lead_stages) and audit event (lead_events) gets a copy of its lead's assignee,
assigned unit, owning group and privacy level, filled here from the leads (a deleted
lead's events keep none: they are an administrator's only, as before).

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 11:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

COPIED = ('assigned_user_id', 'assigned_unit_id', 'owned_by_group_id', 'privacy_level_id')
TABLES = ('lead_stages', 'lead_events')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in COPIED:
                batch_op.add_column(sa.Column(name, sa.String(length=32), nullable=True))
        copied = ', '.join(f'{name} = leads.{name}' for name in COPIED)
        op.execute(f'UPDATE {table} SET {copied} FROM leads WHERE leads.id = {table}.lead_id')
    pass


def downgrade() -> None:
    pass
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(COPIED):
                batch_op.drop_column(name)
