"""the board's indexes hold the filters' columns: a filtered column's first leads found
from the index alone

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-26 14:30:00
"""
from alembic import op


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

BOARD = ['type_id', 'status_id', 'priority', 'number']
SUMMED = ['life_cycle_state', 'target_amount', 'probability_to_win', 'merged_into_id']
FILTERED = ['source_type', 'source_name', 'created_date', 'expected_completion_date']
ACCESS = ['id', 'assigned_user_id', 'assigned_unit_id', 'owned_by_group_id', 'privacy_level_id']
BEFORE = {
    'ix_leads_board': (BOARD, SUMMED),
    'ix_leads_assigned_board': (['assigned_user_id', *BOARD], [*SUMMED, 'privacy_level_id', 'owned_by_group_id', 'id']),
}
AFTER = {
    'ix_leads_board': (BOARD, [*SUMMED, *FILTERED, *ACCESS]),
    'ix_leads_assigned_board': (['assigned_user_id', *BOARD], [*SUMMED, *FILTERED, 'privacy_level_id', 'owned_by_group_id', 'id']),
}


def _indexes(indexes: dict) -> None:
    # not in batch mode: a rebuild of ``leads`` on SQLite would drop its triggers (0025, 0026)
    for name, (columns, included) in indexes.items():
        op.drop_index(name, table_name='leads')
        op.create_index(name, 'leads', columns, unique=False, postgresql_include=included)


def upgrade() -> None:
    _indexes(AFTER)


def downgrade() -> None:
    _indexes(BEFORE)
