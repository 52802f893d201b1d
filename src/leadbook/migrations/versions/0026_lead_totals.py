"""lead totals: the board's and the list's counts and sums per type, status, state,
assigned user and privacy level, kept by triggers on leads

The statements are those of leadbook.models.totals as of this revision, frozen here.
On SQLite a later batch rebuild of ``leads`` drops these triggers (and lead search's).

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-26 12:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

POSTGRESQL = ["CREATE OR REPLACE FUNCTION lead_totals_of_lead() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT OLD.type_id, OLD.status_id, OLD.life_cycle_state, coalesce(OLD.assigned_user_id, ''), coalesce(OLD.privacy_level_id, ''), -1, -1 * coalesce(CAST(OLD.target_amount AS NUMERIC), 0), -1 * coalesce(CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE -1 END WHERE OLD.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; END IF; IF TG_OP <> 'DELETE' THEN INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT NEW.type_id, NEW.status_id, NEW.life_cycle_state, coalesce(NEW.assigned_user_id, ''), coalesce(NEW.privacy_level_id, ''), 1, 1 * coalesce(CAST(NEW.target_amount AS NUMERIC), 0), 1 * coalesce(CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE 1 END WHERE NEW.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; END IF; RETURN NULL; END $$", 'CREATE TRIGGER lead_totals_of_lead AFTER INSERT OR DELETE OR UPDATE OF type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, merged_into_id, target_amount, probability_to_win ON leads FOR EACH ROW EXECUTE FUNCTION lead_totals_of_lead()']
SQLITE = ["CREATE TRIGGER lead_totals_of_new_lead AFTER INSERT ON leads BEGIN INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT NEW.type_id, NEW.status_id, NEW.life_cycle_state, coalesce(NEW.assigned_user_id, ''), coalesce(NEW.privacy_level_id, ''), 1, 1 * coalesce(CAST(NEW.target_amount AS NUMERIC), 0), 1 * coalesce(CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE 1 END WHERE NEW.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; END", "CREATE TRIGGER lead_totals_of_lead AFTER UPDATE OF type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, merged_into_id, target_amount, probability_to_win ON leads BEGIN INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT OLD.type_id, OLD.status_id, OLD.life_cycle_state, coalesce(OLD.assigned_user_id, ''), coalesce(OLD.privacy_level_id, ''), -1, -1 * coalesce(CAST(OLD.target_amount AS NUMERIC), 0), -1 * coalesce(CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE -1 END WHERE OLD.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT NEW.type_id, NEW.status_id, NEW.life_cycle_state, coalesce(NEW.assigned_user_id, ''), coalesce(NEW.privacy_level_id, ''), 1, 1 * coalesce(CAST(NEW.target_amount AS NUMERIC), 0), 1 * coalesce(CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN NEW.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(NEW.target_amount AS NUMERIC) * CAST(NEW.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE 1 END WHERE NEW.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; END", "CREATE TRIGGER lead_totals_of_deleted_lead AFTER DELETE ON leads BEGIN INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT OLD.type_id, OLD.status_id, OLD.life_cycle_state, coalesce(OLD.assigned_user_id, ''), coalesce(OLD.privacy_level_id, ''), -1, -1 * coalesce(CAST(OLD.target_amount AS NUMERIC), 0), -1 * coalesce(CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END, 0), CASE WHEN CASE WHEN OLD.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(OLD.target_amount AS NUMERIC) * CAST(OLD.probability_to_win AS NUMERIC) END IS NULL THEN 0 ELSE -1 END WHERE OLD.merged_into_id IS NULL ON CONFLICT (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id) DO UPDATE SET count = lead_totals.count + excluded.count, amount = lead_totals.amount + excluded.amount, weighted = lead_totals.weighted + excluded.weighted, weighed = lead_totals.weighed + excluded.weighed; END"]
FILL = "INSERT INTO lead_totals (type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, count, amount, weighted, weighed) SELECT l.type_id, l.status_id, l.life_cycle_state, coalesce(l.assigned_user_id, ''), coalesce(l.privacy_level_id, ''), count(*), coalesce(sum(CAST(l.target_amount AS NUMERIC)), 0), coalesce(sum(CASE WHEN l.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(l.target_amount AS NUMERIC) * CAST(l.probability_to_win AS NUMERIC) END), 0), count(CASE WHEN l.life_cycle_state IN ('PENDING', 'IN_PROGRESS') THEN CAST(l.target_amount AS NUMERIC) * CAST(l.probability_to_win AS NUMERIC) END) FROM leads l WHERE l.merged_into_id IS NULL GROUP BY l.type_id, l.status_id, l.life_cycle_state, coalesce(l.assigned_user_id, ''), coalesce(l.privacy_level_id, '')"


def upgrade() -> None:
    op.create_table(
        'lead_totals',
        sa.Column('type_id', sa.String(length=32), nullable=False),
        sa.Column('status_id', sa.String(length=32), nullable=False),
        sa.Column('life_cycle_state', sa.String(length=20), nullable=False),
        sa.Column('assigned_user_id', sa.String(length=32), nullable=False),
        sa.Column('privacy_level_id', sa.String(length=32), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(), nullable=False),
        sa.Column('weighted', sa.Numeric(), nullable=False),
        sa.Column('weighed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('type_id', 'status_id', 'life_cycle_state', 'assigned_user_id', 'privacy_level_id', name=op.f('pk_lead_totals')),
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL if dialect == 'postgresql' else SQLITE:
        op.execute(statement)
    op.execute(FILL)
    if dialect == 'postgresql':
        op.execute('ANALYZE lead_totals')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS lead_totals_of_lead ON leads')
        op.execute('DROP FUNCTION IF EXISTS lead_totals_of_lead()')
    else:
        for trigger in ('lead_totals_of_deleted_lead', 'lead_totals_of_lead', 'lead_totals_of_new_lead'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.drop_table('lead_totals')
