"""sales workflow: notes, activities, rotting thresholds, breach notices, notifications and
their email outbox; leads.last_activity_at, lead types' targets, users' email preference

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 07:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('email_outbox',
    sa.Column('to_address', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_outbox'))
    )
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_email_outbox_sent_next', ['sent_at', 'next_attempt_at'], unique=False)

    op.create_table('lead_breach_notices',
    sa.Column('lead_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('lead_id', 'kind', 'level', 'since', name=op.f('pk_lead_breach_notices'))
    )
    op.create_table('rotting_thresholds',
    sa.Column('lead_type_id', sa.String(length=32), nullable=False),
    sa.Column('status_id', sa.String(length=32), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['lead_type_id'], ['lead_types.id'], name=op.f('fk_rotting_thresholds_lead_type_id_lead_types'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['lead_statuses.id'], name=op.f('fk_rotting_thresholds_status_id_lead_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rotting_thresholds')),
    sa.UniqueConstraint('lead_type_id', 'status_id', name=op.f('uq_rotting_thresholds_lead_type_id'))
    )
    op.create_table('user_notifications',
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('lead_number', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_notifications'))
    )
    with op.batch_alter_table('user_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_user_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('lead_activities',
    sa.Column('lead_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('CALL', 'MEETING', 'EMAIL', 'TASK', name='activitykind', native_enum=False, length=20), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('assignee_id', sa.String(length=32), nullable=True),
    sa.Column('created_by_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_lead_activities_assignee_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lead_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_activities_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_activities'))
    )
    with op.batch_alter_table('lead_activities', schema=None) as batch_op:
        batch_op.create_index('ix_lead_activities_lead_open_due', ['lead_id', 'done_at', 'due_at'], unique=False)

    op.create_table('lead_notes',
    sa.Column('lead_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_lead_notes_author_id_users')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_notes_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_notes'))
    )
    with op.batch_alter_table('lead_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_notes_lead_id'), ['lead_id'], unique=False)

    with op.batch_alter_table('lead_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('escalation_hours', sa.Integer(), nullable=True))

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_notifications', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email_notifications', server_default=None, existing_type=sa.Boolean(), existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_notifications')

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('last_activity_at')

    with op.batch_alter_table('lead_types', schema=None) as batch_op:
        batch_op.drop_column('escalation_hours')
        batch_op.drop_column('first_response_minutes')

    with op.batch_alter_table('lead_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_notes_lead_id'))

    op.drop_table('lead_notes')
    with op.batch_alter_table('lead_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_activities_lead_open_due')

    op.drop_table('lead_activities')
    with op.batch_alter_table('user_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_user_notifications_user_read')

    op.drop_table('user_notifications')
    op.drop_table('rotting_thresholds')
    op.drop_table('lead_breach_notices')
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_email_outbox_sent_next')

    op.drop_table('email_outbox')
