"""report indexes and the seconds of each ended stay

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26 08:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lead_stages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds', sa.Float(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        seconds = 'extract(epoch from left_at - entered_at)'
    else:
        seconds = '(julianday(left_at) - julianday(entered_at)) * 86400.0'
    op.execute(f'UPDATE lead_stages SET seconds = {seconds} WHERE left_at IS NOT NULL')
    with op.batch_alter_table('lead_stages', schema=None) as batch_op:
        batch_op.create_index('ix_lead_stages_type_status_seconds', ['type_id', 'status_id', 'seconds', 'left_at'], unique=False)
    # stored on PostgreSQL; SQLite adds only a virtual generated column to a table
    stored = True if op.get_bind().dialect.name == 'postgresql' else None
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('utm_source', sa.String(length=200), sa.Computed("attribution ->> 'utm_source'", persisted=stored), nullable=True))
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_utm_state_created', ['utm_source', 'life_cycle_state', 'created_date'], unique=False)
        batch_op.create_index('ix_leads_name_state_created', ['source_name', 'life_cycle_state', 'created_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_name_state_created')
        batch_op.drop_index('ix_leads_utm_state_created')
        batch_op.drop_column('utm_source')
    with op.batch_alter_table('lead_stages', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_stages_type_status_seconds')
        batch_op.drop_column('seconds')
