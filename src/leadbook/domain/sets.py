"""Adding to and removing from a lead's sets: competitors, users, products; the union
of two leads' sets (a merge)."""

from __future__ import annotations

from typing import Any

from leadbook import models as m
from leadbook.domain.changes import LeadChanges, ProductItem, RowId, SetEdit
from leadbook.domain.errors import InvalidValue, NotFound
from leadbook.domain.vocabulary import PRODUCT_FIELDS, SET_KINDS


def edit_sets(lead: m.Lead, changes: LeadChanges) -> None:
    """Applies the set edits of ``changes`` to ``lead``."""
    if changes.competitors:
        _edit(
            lead.competitors, changes.competitors, m.LeadCompetitor, "competitor", "competitors_set"
        )
    if changes.users:
        for user in changes.users.add:
            if not user.is_active:
                raise InvalidValue(f"User {user.username} is not active")
        _edit(lead.users, changes.users, m.LeadUser, "user", "users_set")
    if changes.products:
        _edit_products(lead, changes.products)


def _edit(rows: list, edit: SetEdit, row_type: type, attr: str, param: str) -> None:
    for target in edit.remove:
        row = next(
            (
                r
                for r in rows
                if (r.id == target.id if isinstance(target, RowId) else getattr(r, attr) is target)
            ),
            None,
        )
        if row is None:
            raise NotFound(f"{param}: {_label(target)} is not in the lead's {param}")
        rows.remove(row)
    for target in edit.add:
        if any(getattr(r, attr) is target for r in rows):
            raise InvalidValue(f"{param}: {_label(target)} is already in the lead's {param}")
        rows.append(row_type(**{attr: target}, position=len(rows)))


def _edit_products(lead: m.Lead, edit: SetEdit) -> None:
    def matches(row: m.LeadProduct, item) -> bool:
        if isinstance(item, RowId):
            return row.id == item.id
        return row.kind == item.kind and getattr(row, item.field) is item.row

    for item in edit.remove:
        row = next((r for r in lead.products if matches(r, item)), None)
        if row is None:
            raise NotFound(f"{_label(item)} is not among the lead's products")
        lead.products.remove(row)
    for item in edit.add:
        if item.kind not in SET_KINDS or item.field not in PRODUCT_FIELDS:
            raise InvalidValue(f"Unknown product item {item.kind}/{item.field}")
        if any(matches(r, item) for r in lead.products):
            raise InvalidValue(f"{_label(item)} is already among the lead's products")
        lead.products.append(
            m.LeadProduct(kind=item.kind, position=len(lead.products), **{item.field: item.row})
        )


# what an item of each set is, whichever lead holds it
ITEM_KEYS = {
    "competitors": lambda row: row.competitor_id,
    "users": lambda row: row.user_id,
    "products": lambda row: (
        row.kind,
        row.product_id,
        row.product_type_id,
        row.product_brand_id,
        row.product_family_id,
    ),
}
COPIED = {
    "competitors": ("competitor_id",),
    "users": ("user_id",),
    "products": ("kind", *(f"{field}_id" for field in PRODUCT_FIELDS)),
}


def union(lead: m.Lead, other: m.Lead) -> dict[str, list[Any]]:
    """Adds to ``lead``'s sets the items of ``other``'s it lacks (after its own, in
    ``other``'s order); returns the rows added, by set."""
    added: dict[str, list[Any]] = {}
    for name, key in ITEM_KEYS.items():
        rows = getattr(lead, name)
        held = {key(row) for row in rows}
        for row in getattr(other, name):
            if key(row) not in held:
                held.add(key(row))
                copy = type(row)(position=len(rows), **{c: getattr(row, c) for c in COPIED[name]})
                rows.append(copy)
                added.setdefault(name, []).append(copy)
    return added


def take_off(lead: m.Lead, row_ids: set[str]) -> None:
    """Takes the rows ``row_ids`` off ``lead``'s sets (those it still holds)."""
    for name in ITEM_KEYS:
        rows = getattr(lead, name)
        for row in [row for row in rows if row.id in row_ids]:
            rows.remove(row)


def _label(target: Any) -> str:
    if isinstance(target, RowId):
        return f"row {target.id}"
    if isinstance(target, ProductItem):
        return f"{target.field.replace('_', ' ')} {_label(target.row)}"
    for attr in ("name", "username", "code"):
        if getattr(target, attr, None):
            return repr(getattr(target, attr))
    return str(getattr(target, "id", target))
