"""A flush that changed one lead and nothing else (an update, a move) written as one Core
``UPDATE leads SET … WHERE id = :id AND version = :v RETURNING …``: what the ORM's unit of
work would send, without its per-flush bookkeeping (docs/performance.md, issue 14 writes).

Anything else — a new or deleted row, a second changed row, a changed set, a related row
not yet stored — is left to the ORM's flush (``write`` answers False).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, inspect, update
from sqlalchemy.orm import RelationshipProperty, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.interfaces import MANYTOONE

from leadbook import models as m
from leadbook.domain.workflow import recency

LEADS = cast(Table, m.Lead.__table__)
# the UPDATE of each set of columns, built once: SQLAlchemy then keys and compiles it once
_STATEMENTS: dict[tuple[str, ...], Any] = {}


def write(db: Session) -> bool:
    """Writes the session's one changed lead, if that is all the flush holds; raises
    StaleDataError (a Conflict, ``writes.guarded``) when its stored version moved on."""
    if db.new or db.deleted or not db.get_bind().dialect.update_returning:
        return False
    changed = [(row, keys) for row in db.dirty if (keys := _changed_keys(row))]
    if not changed:
        return True  # nothing to write
    if len(changed) != 1 or not isinstance(changed[0][0], m.Lead):
        return False
    lead = changed[0][0]
    recency.stamp_move(lead)  # the ORM's before_update
    changes = _changes(lead, _changed_keys(lead))
    if changes is None:
        return False
    values, targets = changes
    version = lead.version
    params = {**values, "id_": lead.id, "version_": version, "next_": version + 1}
    written = db.execute(_statement(tuple(sorted(values))), params).one_or_none()
    if written is None:
        raise StaleDataError(f"UPDATE leads expected version {version}: 0 rows matched")
    committed = {**values, "version": version + 1, "utm_source": written[0], **targets}
    for key, value in committed.items():
        set_committed_value(lead, key, value)
    state = inspect(lead)  # now clean, as after the ORM's flush (which makes this call):
    state._commit_all(state.dict, db.identity_map)  # no later flush or rescore visits it
    return True


def _statement(columns: tuple[str, ...]) -> Any:
    """``UPDATE leads SET <columns>, version = :next_ WHERE id = :id_ AND version =
    :version_ RETURNING utm_source``, built once per set of columns."""
    if columns not in _STATEMENTS:
        values = {key: bindparam(key, type_=LEADS.c[key].type) for key in columns}
        _STATEMENTS[columns] = (
            update(LEADS)
            .where(LEADS.c.id == bindparam("id_"), LEADS.c.version == bindparam("version_"))
            .values(**values, version=bindparam("next_"))
            .returning(LEADS.c.utm_source)
        )
    return _STATEMENTS[columns]


def _changed_keys(row: object) -> list[str]:
    """Returns the attributes of ``row`` whose value its pending change moves."""
    state = inspect(row)
    touched = set(state.mapper.attrs.keys()).difference(state.unmodified)
    return [key for key in touched if state.attrs[key].history.has_changes()]


def _changes(lead: m.Lead, keys: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Returns the columns the changes of ``lead``'s ``keys`` set (a changed many-to-one as
    its key) and the changed many-to-one rows, or None when a change is one the ORM must
    write (a set, a row not yet stored)."""
    state = inspect(lead)
    values: dict[str, Any] = {}
    related: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    for key in keys:
        history = state.attrs[key].history
        added = history.added[0] if history.added else None
        prop = state.mapper.attrs[key]
        if not isinstance(prop, RelationshipProperty):
            values[prop.columns[0].key] = added
            continue
        if prop.direction is not MANYTOONE or len(prop.local_remote_pairs) != 1:
            return None
        local, remote = prop.local_remote_pairs[0]
        identity = inspect(added).identity if added is not None else (None,)
        if identity is None or not remote.primary_key:
            return None
        related[local.name] = identity[0]
        targets[key] = added
    return values | related, targets  # a related row's key wins over its column
