"""Finding leads: a page comes with everything its leads show, in a bounded number of queries."""

from sqlalchemy import event

from leadbook.crmcom import serialize
from leadbook.domain import clock, queries
from leadbook.domain.filters import LeadFilter
from leadbook.models import Lead


def _counting(db):
    seen = []
    event.listen(db.get_bind(), "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_page_is_loaded_in_a_few_queries_and_shows_without_more(db, admin):
    everything = db.query(Lead).count()
    seen = _counting(db)
    page = queries.find(db, admin, LeadFilter(), limit=50)
    assert len(page) == min(50, everything) > 10
    assert len(seen) <= 25  # one per table and level, never one per lead
    loaded = len(seen)
    shown = [serialize.lead(lead, clock.now()) for lead in page]
    assert len(seen) == loaded  # every reference, set and nested row was already there
    by_number = {row["number"]: row for row in shown}
    for lead in page:
        fresh = serialize.lead(db.get(Lead, lead.id), clock.now())
        assert by_number[str(lead.number)] == fresh


def test_references_are_attached_to_the_right_rows(db, admin):
    db.expire_all()
    page = queries.find(db, admin, LeadFilter())
    lazily = {}
    for lead in page:
        lazily[lead.id] = (lead.assigned_user, lead.created_by_user, lead.assigned_unit)
    db.expire_all()
    for lead in queries.find(db, admin, LeadFilter()):
        assert (lead.assigned_user, lead.created_by_user, lead.assigned_unit) == lazily[lead.id]
        if lead.assigned_unit is not None:
            assert lead.assigned_unit.group_id == getattr(lead.assigned_unit.group, "id", None)
        owner = lead.accounts_receivable and lead.accounts_receivable.owner
        assert owner is None or owner.id == lead.accounts_receivable.owner_id


def test_rows_the_session_holds_are_not_loaded_again(db, admin):
    db.expire_all()
    page = queries.find(db, admin, LeadFilter())
    owners = {
        lead.accounts_receivable.owner_id
        for lead in page
        if lead.accounts_receivable and lead.accounts_receivable.owner_id == lead.contact_id
    }
    assert owners  # the demo's accounts belong to their leads' contacts
    seen = _counting(db)
    queries.find(db, admin, LeadFilter())
    # the second time every row the page points at is in the session already: only the
    # page itself and its three sets are read, not the accounts' owners, users, countries
    assert len(seen) == 4


def test_rows_the_session_holds_expired_are_read_again(db, admin):
    held = [
        (lead.accounts_receivable, lead.created_by_user)
        for lead in queries.find(db, admin, LeadFilter())
    ]
    assert any(user for _account, user in held)
    db.expire_all()
    page = queries.find(db, admin, LeadFilter())
    seen = _counting(db)
    [serialize.lead(lead, clock.now()) for lead in page]
    assert seen == []  # the held, expired users and accounts were refreshed with the page
