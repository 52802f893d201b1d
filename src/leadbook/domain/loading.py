"""What a read of leads loads with them: a whole lead (its rows and sets, for the APIs and
the lead's page) or only what a card or a list row shows (``SHOWN``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Load, Session, joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from leadbook import models as m

# everything a full lead shows. The rows nearly every lead points at are joined into the
# lead's own query: a few joins on primary keys, so a page is still cut by the lead index
# first (many more joins would cost the planner more than they save). For one lead the rest
# loads on first use, skipping empty references and rows already loaded.
JOINED = (
    joinedload(m.Lead.type, innerjoin=True),
    joinedload(m.Lead.status, innerjoin=True),
    joinedload(m.Lead.category),
    joinedload(m.Lead.contact),
)
# A page of leads: its sets in one small query each (IN the page's ids)...
SETS = (
    selectinload(m.Lead.competitors).joinedload(m.LeadCompetitor.competitor),
    selectinload(m.Lead.users).joinedload(m.LeadUser.user),
    selectinload(m.Lead.products),
)
# ...and every other row it shows, level by level (a lead's user, that user's unit, the
# unit's group), one query per table and level (the five user references of a whole page
# in one), attached to the rows pointing at them (see _attach).
ATTACHED = (
    m.Lead.lost_reason,
    m.Lead.owned_by_group,
    m.Lead.privacy_level,
    m.Lead.subscription_package,
    m.Lead.accounts_receivable,
    m.Lead.source_contact,
    m.Lead.source_communication,
    m.Lead.source_notification,
    m.Lead.assigned_user,
    m.Lead.lead_owner,
    m.Lead.created_by_user,
    m.Lead.updated_by_user,
    m.Lead.source_user,
    m.Lead.assigned_unit,
    m.Lead.created_by_unit,
    m.Lead.updated_by_unit,
    m.LeadProduct.product,
    m.LeadProduct.product_type,
    m.LeadProduct.product_brand,
    m.LeadProduct.product_family,
    m.Product.product_type,
    m.AccountsReceivable.owner,
    m.Unit.group,
    m.Communication.contact,
    m.Notification.contact,
    m.Notification.accounts_receivable,
    m.Contact.country_of_residence,
    m.Contact.id_issued_by_country,
    m.Contact.passport_issued_by_country,
    m.Contact.registered_in_country,
)
CHUNK = 500


def attach(db: Session, rows: list, relations=ATTACHED) -> list:
    """Sets each many-to-one of ``relations`` on those of ``rows`` it belongs to, from one
    query per target table for the rows the session does not hold loaded yet (an account's
    owner is mostly the lead's own contact); returns the rows it set (the next level's)."""
    wanted: dict[type[Any], set] = {}
    links = []
    for relation in relations:
        prop = relation.property
        ((local, _remote),) = prop.local_remote_pairs
        key = prop.parent.get_property_by_column(local).key
        mine = [row for row in rows if isinstance(row, prop.parent.class_)]
        wanted.setdefault(prop.mapper.class_, set()).update(
            getattr(row, key) for row in mine if getattr(row, key) is not None
        )
        links.append((prop.key, key, prop.mapper.class_, mine))
    found: dict = {}
    for model, ids in wanted.items():
        missing = []
        for i in ids:
            row = db.identity_map.get(identity_key(model, i))
            if row is None or inspect(row).expired_attributes:  # a query refreshes it
                missing.append(i)
            else:
                found[model, i] = row
        missing.sort()
        for at in range(0, len(missing), CHUNK):
            chunk = missing[at : at + CHUNK]
            for row in db.scalars(select(model).where(model.id.in_(chunk))):
                found[model, row.id] = row
    for name, key, model, mine in links:
        for row in mine:
            set_committed_value(row, name, found.get((model, getattr(row, key))))
    return list(found.values())


# what a card or a list row shows, and nothing else: no set, no other row (a read of
# anything more raises, so a template's new field cannot turn into a query per card)
SHOWN = (
    load_only(
        *(getattr(m.Lead, name) for name in (
            "number", "topic", "life_cycle_state", "type_id", "status_id", "priority",
            "score", "target_amount", "probability_to_win", "expected_completion_date",
            "owned_by_group_id", "assigned_user_id", "assigned_unit_id", "contact_id",
        ))  # fmt: skip
    ),
    joinedload(m.Lead.type, innerjoin=True).load_only(m.LeadType.name),
    joinedload(m.Lead.status, innerjoin=True).load_only(m.LeadStatus.name),
    joinedload(m.Lead.contact).load_only(
        m.Contact.type,
        m.Contact.company_name,
        m.Contact.first_name,
        m.Contact.middle_name,
        m.Contact.last_name,
    ),
    joinedload(m.Lead.assigned_user).load_only(m.User.username, m.User.person_name),
    joinedload(m.Lead.assigned_unit).load_only(m.Unit.name),
    Load(m.Lead).raiseload("*"),
)
