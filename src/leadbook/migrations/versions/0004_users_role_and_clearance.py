"""users: role and clearance

Existing administrators become ADMIN, every other existing user SALES (docs/access.md);
no user has a clearance yet. The leads whose team lists a user are found by an index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:57:55.312712
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ROLE = sa.Enum('ADMIN', 'MANAGER', 'SALES', 'READ_ONLY', name='role', native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', ROLE, nullable=False, server_default='SALES'))
        batch_op.add_column(sa.Column('clearance_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_clearance_id_privacy_levels'), 'privacy_levels', ['clearance_id'], ['id'])
    op.execute("UPDATE users SET role = 'ADMIN' WHERE is_admin")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None, existing_type=ROLE, existing_nullable=False)
        batch_op.drop_column('is_admin')
    with op.batch_alter_table('lead_users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_users_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lead_users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_users_user_id'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_admin', sa.BOOLEAN(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE users SET is_admin = (role = 'ADMIN')")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('is_admin', server_default=None, existing_type=sa.BOOLEAN(), existing_nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_users_clearance_id_privacy_levels'), type_='foreignkey')
        batch_op.drop_column('clearance_id')
        batch_op.drop_column('role')
