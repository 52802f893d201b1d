"""the board's indexes: a column's cards in order, its totals from the index alone

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 11:20:00
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

BOARD = ['type_id', 'status_id', 'priority', 'number']
SUMMED = ['life_cycle_state', 'target_amount', 'probability_to_win', 'merged_into_id']


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_board', BOARD, unique=False, postgresql_include=SUMMED)
        batch_op.create_index('ix_leads_assigned_board', ['assigned_user_id', *BOARD], unique=False, postgresql_include=[*SUMMED, 'privacy_level_id', 'owned_by_group_id', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_assigned_board')
        batch_op.drop_index('ix_leads_board')
