"""report rows carry the lead's access columns (issue 18: every report under 1 s)

Each stay (lead_stages) and audit event (lead_events) gets a copy of its lead's assignee,
assigned unit, owning group and privacy level, filled here from the leads (a deleted
lead's events keep none: they are an administrator's only, as before), and the indexes a
salesman's funnel, time in status and activity read alone (docs/reports.md).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-26 11:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
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
    with op.batch_alter_table('lead_stages', schema=None) as batch_op:
        batch_op.create_index('ix_lead_stages_user_type_entered', ['assigned_user_id', 'type_id', 'entered_at'], unique=False, postgresql_include=['first', 'status_id', 'privacy_level_id'])
        batch_op.create_index('ix_lead_stages_user_type_left', ['assigned_user_id', 'type_id', 'left_at'], unique=False, postgresql_include=['status_id', 'seconds', 'privacy_level_id'])
        batch_op.create_index('ix_lead_stages_group', ['owned_by_group_id'], unique=False)
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.create_index('ix_lead_events_user_occurred', ['assigned_user_id', 'occurred_at'], unique=False, postgresql_include=['username', 'action', 'privacy_level_id'])
        batch_op.create_index('ix_lead_events_group', ['owned_by_group_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_events_group')
        batch_op.drop_index('ix_lead_events_user_occurred')
    with op.batch_alter_table('lead_stages', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_stages_group')
        batch_op.drop_index('ix_lead_stages_user_type_left')
        batch_op.drop_index('ix_lead_stages_user_type_entered')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(COPIED):
                batch_op.drop_column(name)
