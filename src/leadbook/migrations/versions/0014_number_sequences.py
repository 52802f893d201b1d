"""number sequences: PostgreSQL hands out lead, contact and account numbers from sequences

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# each sequence goes on after its counter (and after every lead number stored)
NAMES = ("lead", "contact", "accounts_receivable")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite keeps its counters (docs/numbering.md)
    for name in NAMES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(f"{name}_numbers")))
        op.execute(
            f"SELECT setval('{name}_numbers', value) FROM counters "
            f"WHERE name = '{name}' AND value > 0"
        )
    op.execute(
        "SELECT setval('lead_numbers', GREATEST(last_value, max(number))) "
        "FROM lead_numbers, leads GROUP BY last_value HAVING max(number) IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in NAMES:
        op.execute(
            f"INSERT INTO counters (name, value) SELECT '{name}', last_value "
            f"FROM {name}_numbers WHERE is_called "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        )
        op.execute(sa.schema.DropSequence(sa.Sequence(f"{name}_numbers")))
