"""Merging leads in the domain: the sets' union (no item twice), the merged lead's history
part of the survivor's, and an undo taking off exactly what the merge added."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import leadmerge, queries


def _named(db, model, **where):
    return db.scalar(select(model).filter_by(**where))


def _lead(db, number: int) -> m.Lead:
    return db.scalar(select(m.Lead).where(m.Lead.number == number))


def _sets(lead: m.Lead) -> tuple[list, list, list]:
    return (
        [row.competitor.name for row in lead.competitors],
        [row.user.username for row in lead.users],
        [(row.kind, row.product_id, row.product_type_id) for row in lead.products],
    )


@pytest.fixture
def leads(db, admin):
    """Lead 40: Competitor 1, product LDS. Lead 41: Competitors 1 and 2, x_poulli, product
    LDS and the service type Subscription Packages. An event of 41's own."""
    first, second = _lead(db, 40), _lead(db, 41)
    lds = _named(db, m.Product, alternative_code="LDS")
    packages = _named(db, m.ProductType, name="Subscription Packages")
    one, two = (_named(db, m.Competitor, name=f"Competitor {n}") for n in (1, 2))
    first.competitors.append(m.LeadCompetitor(competitor=one, position=0))
    first.products.append(m.LeadProduct(kind="PRODUCT", product=lds, position=0))
    second.competitors += [
        m.LeadCompetitor(competitor=two, position=0),
        m.LeadCompetitor(competitor=one, position=1),
    ]
    second.users.append(m.LeadUser(user=_named(db, m.User, username="x_poulli"), position=0))
    second.products += [
        m.LeadProduct(kind="PRODUCT", product=lds, position=0),
        m.LeadProduct(kind="SERVICE", product_type=packages, position=1),
    ]
    db.add(m.LeadEvent(lead_id=second.id, lead_number=41, action="update", changes={}))
    db.flush()
    return first, second, lds, packages


def test_the_survivor_gets_the_union_of_the_sets(db, admin, leads):
    first, second, lds, packages = leads
    kept = _sets(second)
    leadmerge.merge_leads(db, admin, 40, 41)
    assert _sets(first) == (
        ["Competitor 1", "Competitor 2"],
        ["x_poulli"],
        [("PRODUCT", lds.id, None), ("SERVICE", None, packages.id)],
    )
    assert _sets(second) == kept  # the merged lead keeps its own
    assert second.merged_into_id == first.id


def test_the_merged_lead_s_history_is_reachable_from_the_survivor(db, admin, leads):
    first, second, *_ = leads
    own = [e.id for e in queries.history(db, second)]
    leadmerge.merge_leads(db, admin, 40, 41)
    history = queries.history(db, first)
    assert set(own) <= {e.id for e in history}
    assert [e.action for e in history if e.lead_id == second.id][-1] == "merged_into"
    assert history[-2].action == "merge_lead" and history[-2].changes["merged_lead"] == [None, 41]


def test_undo_takes_off_exactly_what_the_merge_added(db, admin, leads):
    first, second, *_ = leads
    before = _sets(first), _sets(second)
    leadmerge.merge_leads(db, admin, 40, 41)
    leadmerge.undo(db, admin, 41)
    assert (_sets(first), _sets(second)) == before
    assert second.merged_into_id is None
    assert queries.by_number(db, admin, 41) is second
