"""The board's and the list's totals, kept by the database: ``lead_totals``.

One row per (type, status, life cycle state, assigned user, privacy level) of the live leads
(not merged into another): how many, their summed target amount, and their summed weighted
amount (target amount × probability to win, over open leads; ``weighed`` counts the leads
that have both). Triggers on ``leads`` (insert, delete, and an update of a column summed
or grouped by) add and take away each lead's share in the writing transaction, so no write
path knows about it. A missing assigned user or privacy level is stored as '' (a key
column cannot be NULL). The triggers are not models: they are made after the tables
(``DDL`` below, for databases the models make) and by migration 0026 the same way;
tests/test_migrations.py compares them.

The weighted rule is ``queries.weighted``'s (Σ amount × probability / 100 over open leads);
``_each`` below writes it for one lead in the triggers' SQL: tests/domain/test_totals.py
holds both equal.
"""

from __future__ import annotations

from sqlalchemy import DDL, Integer, Numeric, String, event
from sqlalchemy.orm import Mapped, mapped_column

from leadbook.models.base import Base

OPEN = ("PENDING", "IN_PROGRESS")  # vocabulary.OPEN_STATES, the states weighed


class LeadTotal(Base):
    """The live leads of one type, status, state, assigned user and privacy level."""

    __tablename__ = "lead_totals"
    type_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    life_cycle_state: Mapped[str] = mapped_column(String(20), primary_key=True)
    assigned_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # '': none
    privacy_level_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # '': none
    count: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[float] = mapped_column(Numeric(asdecimal=False), default=0)
    weighted: Mapped[float] = mapped_column(Numeric(asdecimal=False), default=0)
    weighed: Mapped[int] = mapped_column(Integer, default=0)


KEY = "type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id"
# the lead columns a change of which moves a lead's share
WATCHED = (
    "type_id, status_id, life_cycle_state, assigned_user_id, privacy_level_id, "
    "merged_into_id, target_amount, probability_to_win"
)


def _each(row: str) -> str:
    """SQL of the weighted amount of lead ``row`` (NEW or OLD), × 100: NULL when closed or
    when its amount or probability is missing."""
    states = ", ".join(f"'{state}'" for state in OPEN)
    return (
        f"CASE WHEN {row}.life_cycle_state IN ({states}) THEN CAST({row}.target_amount AS "
        f"NUMERIC) * CAST({row}.probability_to_win AS NUMERIC) END"
    )


def _add(row: str, sign: int) -> str:
    """SQL adding (``sign`` 1) or taking away (-1) the share of lead ``row`` when live."""
    each = _each(row)
    return (
        f"INSERT INTO lead_totals ({KEY}, count, amount, weighted, weighed) "
        f"SELECT {row}.type_id, {row}.status_id, {row}.life_cycle_state, "
        f"coalesce({row}.assigned_user_id, ''), coalesce({row}.privacy_level_id, ''), "
        f"{sign}, {sign} * coalesce(CAST({row}.target_amount AS NUMERIC), 0), "
        f"{sign} * coalesce({each}, 0), CASE WHEN {each} IS NULL THEN 0 ELSE {sign} END "
        f"WHERE {row}.merged_into_id IS NULL "
        f"ON CONFLICT ({KEY}) DO UPDATE SET count = lead_totals.count + excluded.count, "
        "amount = lead_totals.amount + excluded.amount, "
        "weighted = lead_totals.weighted + excluded.weighted, "
        "weighed = lead_totals.weighed + excluded.weighed"
    )


def statements(dialect: str) -> list[str]:
    """The statements making the triggers that keep ``lead_totals`` on ``dialect``."""
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION lead_totals_of_lead() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_add('OLD', -1)}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_add('NEW', 1)}; END IF; "
            "RETURN NULL; END $$",
            f"CREATE TRIGGER lead_totals_of_lead AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} "
            "ON leads FOR EACH ROW EXECUTE FUNCTION lead_totals_of_lead()",
        ]
    return [
        f"CREATE TRIGGER lead_totals_of_new_lead AFTER INSERT ON leads BEGIN {_add('NEW', 1)}; END",
        f"CREATE TRIGGER lead_totals_of_lead AFTER UPDATE OF {WATCHED} ON leads "
        f"BEGIN {_add('OLD', -1)}; {_add('NEW', 1)}; END",
        "CREATE TRIGGER lead_totals_of_deleted_lead AFTER DELETE ON leads "
        f"BEGIN {_add('OLD', -1)}; END",
    ]


def fill_sql() -> str:
    """SQL writing the totals of every live lead (a migration's first fill)."""
    each = _each("l")
    return (
        f"INSERT INTO lead_totals ({KEY}, count, amount, weighted, weighed) "
        "SELECT l.type_id, l.status_id, l.life_cycle_state, coalesce(l.assigned_user_id, ''), "
        "coalesce(l.privacy_level_id, ''), count(*), "
        f"coalesce(sum(CAST(l.target_amount AS NUMERIC)), 0), coalesce(sum({each}), 0), "
        f"count({each}) FROM leads l WHERE l.merged_into_id IS NULL "
        "GROUP BY l.type_id, l.status_id, l.life_cycle_state, "
        "coalesce(l.assigned_user_id, ''), coalesce(l.privacy_level_id, '')"
    )


SQLITE_TRIGGERS = ("lead_totals_of_new_lead", "lead_totals_of_lead", "lead_totals_of_deleted_lead")

# made after every table (the triggers are on ``leads``, which may come after this table)
for _dialect in ("postgresql", "sqlite"):
    for _statement in statements(_dialect):
        event.listen(
            Base.metadata,
            "after_create",
            DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect),
        )
_DROPS = [("before_drop", "sqlite", f"DROP TRIGGER IF EXISTS {name}") for name in SQLITE_TRIGGERS]
_DROPS.append(("after_drop", "postgresql", "DROP FUNCTION IF EXISTS lead_totals_of_lead() CASCADE"))
for _when, _dialect, _statement in _DROPS:
    event.listen(Base.metadata, _when, DDL(_statement).execute_if(dialect=_dialect))
