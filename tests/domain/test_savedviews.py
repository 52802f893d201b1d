"""Saved views of the lead list: the name, the query checked against the list's
parameters, one name per user, sharing by managers and administrators, owner-only delete."""

from __future__ import annotations

import pytest

from leadbook import models as m
from leadbook.domain import savedviews
from leadbook.domain.actor import Actor
from leadbook.domain.errors import Conflict, InvalidValue, NotFound, PermissionDenied


@pytest.fixture
def people(db):
    """Returns the actor of a role's user: admin, manager, sales, sales2."""
    roles = {"admin": m.Role.ADMIN, "manager": m.Role.MANAGER, "sales": m.Role.SALES}
    roles["sales2"] = m.Role.SALES
    users = {name: m.User(username=f"v_{name}", role=role) for name, role in roles.items()}
    db.add_all(users.values())
    db.flush()
    return {name: Actor(user, None, via="test") for name, user in users.items()}


def test_saves_the_query_in_the_lists_order_without_blanks(db, people):
    view = savedviews.save(
        db, people["sales"], "  Hot   leads ", "?sort=priority&state=PENDING&q=&desc=true"
    )
    assert view.name == "Hot leads"
    assert view.query == "state=PENDING&sort=priority&desc=true"
    assert [v.name for v in savedviews.listed(db, people["sales"])] == ["Hot leads"]


@pytest.mark.parametrize(
    "query, fault",
    [
        ("state=PENDING&colour=red", "unknown parameter 'colour'"),
        ("page=2", "unknown parameter 'page'"),
        ("state=PENDING&state=WON", "given twice"),
        ("sort=colour", "sort must be number, priority"),
        ("desc=maybe", "desc must be true or false"),
        ("size=500", "size must be 1 to 100"),
        ("a" * 2001, "longer than 2000"),
        ("state", "not a query string"),
    ],
)
def test_refuses_filters_the_list_does_not_take(db, people, query, fault):
    with pytest.raises(InvalidValue) as refused:
        savedviews.save(db, people["sales"], "Bad", query)
    assert fault in refused.value.message and refused.value.field == "query"
    assert savedviews.listed(db, people["sales"]) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_refuses_an_empty_or_long_name(db, people, name):
    with pytest.raises(InvalidValue) as refused:
        savedviews.save(db, people["sales"], name, "state=PENDING")
    assert refused.value.field == "name" and "1 to 80 characters" in refused.value.message


def test_a_name_is_unique_per_user_letter_case_aside(db, people):
    savedviews.save(db, people["sales"], "Hot leads", "state=PENDING")
    with pytest.raises(Conflict) as refused:
        savedviews.save(db, people["sales"], "HOT LEADS", "state=WON")
    assert refused.value.field == "name"
    other = savedviews.save(db, people["sales2"], "Hot leads", "state=WON")  # another user's
    assert other.query == "state=WON"


def test_only_managers_and_admins_share_and_shared_views_are_listed_to_everyone(db, people):
    with pytest.raises(PermissionDenied):
        savedviews.save(db, people["sales"], "Mine for all", "state=PENDING", shared=True)
    savedviews.save(db, people["manager"], "Team pipeline", "state=IN_PROGRESS", shared=True)
    savedviews.save(db, people["manager"], "Private", "state=WON")
    savedviews.save(db, people["sales"], "A own", "state=LOST")
    assert [v.name for v in savedviews.listed(db, people["sales"])] == ["A own", "Team pipeline"]
    assert [v.name for v in savedviews.listed(db, people["sales2"])] == ["Team pipeline"]
    shared = savedviews.save(db, people["admin"], "All open", "", shared=True)
    assert shared.shared and shared.query == ""


def test_only_the_owner_deletes_a_view(db, people):
    shared = savedviews.save(db, people["manager"], "Team", "state=PENDING", shared=True)
    private = savedviews.save(db, people["manager"], "Private", "state=WON")
    with pytest.raises(PermissionDenied):
        savedviews.delete(db, people["sales"], shared.id)
    with pytest.raises(NotFound):  # another's private view is not even seen
        savedviews.delete(db, people["admin"], private.id)
    savedviews.delete(db, people["manager"], shared.id)
    assert [v.name for v in savedviews.listed(db, people["manager"])] == ["Private"]
    assert savedviews.listed(db, people["sales"]) == []
