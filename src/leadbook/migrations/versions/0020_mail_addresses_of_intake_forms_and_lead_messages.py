"""mail addresses of intake forms and lead messages

Revision ID: 0020
Revises: 0017
Create Date: 2026-11-26 07:08:31.818134
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lead_messages',
    sa.Column('message_id', sa.String(length=998), nullable=False),
    sa.Column('lead_id', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_messages_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_lead_messages_message_id'))
    )
    with op.batch_alter_table('lead_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_messages_lead_id'), ['lead_id'], unique=False)

    with op.batch_alter_table('intake_forms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_address', sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_intake_forms_email_address'), ['email_address'])



def downgrade() -> None:
    with op.batch_alter_table('intake_forms', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_intake_forms_email_address'), type_='unique')
        batch_op.drop_column('email_address')

    with op.batch_alter_table('lead_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_messages_lead_id'))

    op.drop_table('lead_messages')
