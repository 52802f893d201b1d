"""Numbers for existing users, contacts and lead categories

Before, the XML API handed out a number the first time it showed an entity (a read that
wrote); now every entity gets one when it is created. This gives one to every existing
user, lead category and contact that has none yet, after the largest number handed out,
in a fixed order: users by username, then categories by name, then contacts by their
number (CI000001 …, creation order) and id. Numbers already handed out stay as they are.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

NUMBERED = (
    ("user", "users", ("username",)),
    ("lead_category", "lead_categories", ("name",)),
    ("contact", "contacts", ("number IS NULL", "number")),
)


def upgrade() -> None:
    conn = op.get_bind()
    largest = conn.scalar(sa.text("SELECT MAX(number) FROM external_ids")) or 0
    rows = []
    for kind, table, order in NUMBERED:
        missing = conn.execute(
            sa.text(
                f"SELECT id FROM {table} WHERE id NOT IN "
                "(SELECT entity_id FROM external_ids WHERE kind = :kind) "
                f"ORDER BY {', '.join(order)}, id"
            ),
            {"kind": kind},
        ).scalars()
        rows += [{"kind": kind, "entity_id": entity_id} for entity_id in missing]
    if not rows:
        return
    for number, row in enumerate(rows, start=largest + 1):
        row["number"] = number
    conn.execute(
        sa.text("INSERT INTO external_ids (number, kind, entity_id) VALUES (:number, :kind, :entity_id)"),
        rows,
    )
    if conn.dialect.name == "postgresql":  # the numbers to come follow the largest given
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('external_ids', 'number'), "
                "(SELECT MAX(number) FROM external_ids))"
            )
        )


def downgrade() -> None:
    """Numbers once given stay: the earlier code shows them as it would have."""
