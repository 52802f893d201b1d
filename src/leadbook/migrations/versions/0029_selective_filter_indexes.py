"""indexes for the board's and the list's selective filters: a source name's cards and
totals per column, an amount range's leads per column and per assigned user, each found at
once instead of by walking a column's whole index range (PostgreSQL: the columns the reads
need included, so they are read from the index alone)

Not in batch mode: a rebuild of ``leads`` on SQLite would drop its triggers (0025, 0026).

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-26 22:40:00
"""
from alembic import op


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

BOARD = ['type_id', 'status_id', 'priority', 'number']
SUMMED = ['life_cycle_state', 'target_amount', 'probability_to_win', 'merged_into_id']
UNSUMMED = ['life_cycle_state', 'probability_to_win', 'merged_into_id']
FILTERED = ['source_type', 'source_name', 'created_date', 'expected_completion_date']
ACCESS = ['id', 'assigned_user_id', 'assigned_unit_id', 'owned_by_group_id', 'privacy_level_id']
INDEXES = {
    'ix_leads_source_board': (['source_name', *BOARD], [*SUMMED, 'source_type', 'created_date', 'expected_completion_date', *ACCESS]),
    'ix_leads_amount_board': (['type_id', 'status_id', 'target_amount'], ['priority', 'number', *UNSUMMED, *FILTERED, *ACCESS]),
    'ix_leads_amount_assigned': (['assigned_user_id', 'target_amount'], ['number', 'merged_into_id', 'privacy_level_id', 'owned_by_group_id', 'id']),
}


def upgrade() -> None:
    for name, (columns, included) in INDEXES.items():
        op.create_index(name, 'leads', columns, unique=False, postgresql_include=included)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='leads')
