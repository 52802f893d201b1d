"""lead contact not null

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:49:32.058608

A lead without a contact cannot be given one here (which contact?), so the upgrade refuses,
naming such leads, and changes nothing; give each a contact or delete it, then migrate again.
"""
from alembic import op
import sqlalchemy as sa

from leadbook.migrate import MigrationRefused


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    orphans = op.get_bind().execute(
        sa.text("SELECT number FROM leads WHERE contact_id IS NULL ORDER BY number")
    ).scalars().all()
    if orphans:
        shown = ", ".join(str(n) for n in orphans[:20]) + (f" and {len(orphans) - 20} more" if len(orphans) > 20 else "")
        raise MigrationRefused(
            f"Migration 0003 makes a lead's contact mandatory, but {len(orphans)} lead(s) have "
            f"none: {shown}. Give each a contact or delete it, then run `leadbook migrate` "
            "again; nothing was changed."
        )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.alter_column('contact_id',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.alter_column('contact_id',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)
