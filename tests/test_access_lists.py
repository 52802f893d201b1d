"""Property: a list holds exactly the leads its caller may see (docs/access.md), whatever
the leads' group, assignment, team and privacy level and the caller's role, unit and
clearance; over HTTP, through the CRM.COM and XML faces."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from leadbook.auth import tokens
from leadbook.models import Group, Lead, LeadUser, PrivacyLevel, Role, Unit, User

UNITS = ("Admin Unit", "Sales Unit", "CSR Unit")  # Main, Main, CSR Group
COLLEAGUES = ("mpadministrator", "mariosm", "emichailidou", "carla")  # carla: CSR Unit
LEVELS = {"8": 1, "90": 5}  # privacy level number → hierarchy level


@pytest.fixture
def world(db, demo):
    """Adds CSR Unit, carla in it, a Secret level and the caller ``probe``; returns the
    rows by name, the probe's token and the numbers of the Pending leads."""
    csr = db.scalar(select(Group).where(Group.name == "CSR Group"))
    db.add_all(
        [
            Unit(name="CSR Unit", group=csr),
            PrivacyLevel(number="90", name="Secret", hierarchy_level=5),
        ]
    )
    db.flush()
    units = {u.name: u for u in db.scalars(select(Unit))}
    db.add(User(username="carla", unit=units["CSR Unit"]))
    probe = User(username="probe")
    db.add(probe)
    db.flush()
    rows = {
        "units": units,
        "groups": {g.name: g for g in db.scalars(select(Group))},
        "users": {u.username: u for u in db.scalars(select(User))},
        "levels": {p.number: p for p in db.scalars(select(PrivacyLevel))},
        "token": tokens.issue(db, probe, ttl_seconds=None),
        "leads": list(db.scalars(select(Lead).order_by(Lead.number))),
    }
    db.commit()
    return rows


maybe = lambda options: st.one_of(st.none(), st.sampled_from(options))  # noqa: E731
LEAD = st.fixed_dictionaries(
    {
        "group": maybe(("Main Group", "CSR Group")),
        "unit": maybe(UNITS),
        "user": maybe((*COLLEAGUES, "probe")),
        "team": st.lists(st.sampled_from((*COLLEAGUES, "probe")), unique=True, max_size=2),
        "level": maybe(tuple(LEVELS)),
    }
)
CALLER = st.fixed_dictionaries(
    {"role": st.sampled_from(Role), "unit": maybe(UNITS), "clearance": maybe(tuple(LEVELS))}
)
GROUP_OF = {"Admin Unit": "Main Group", "Sales Unit": "Main Group", "CSR Unit": "CSR Group"}
UNIT_OF = {
    "mpadministrator": "Admin Unit",
    "mariosm": "Sales Unit",
    "emichailidou": "Admin Unit",
    "carla": "CSR Unit",
}


def may_see(caller: dict, lead: dict) -> bool:
    """The rule of docs/access.md, written again independently of the SQL."""
    if caller["role"] == Role.ADMIN:
        return True
    level = lead["level"]
    if level is not None and (
        caller["clearance"] is None or LEVELS[caller["clearance"]] < LEVELS[level]
    ):
        return False
    group = GROUP_OF.get(caller["unit"])
    unit_of = {**UNIT_OF, "probe": caller["unit"]}
    reach = lead["user"] == "probe" or "probe" in lead["team"]
    if group is not None:
        reach |= lead["group"] == group
        if caller["role"] == Role.MANAGER:
            reach |= GROUP_OF.get(lead["unit"]) == group
            reach |= lead["user"] is not None and GROUP_OF.get(unit_of[lead["user"]]) == group
    return reach


def _arrange(db, world, caller: dict, specs: list[dict]) -> None:
    users, units = world["users"], world["units"]
    probe = users["probe"]
    probe.role = caller["role"]
    probe.unit = units.get(caller["unit"])
    probe.clearance = world["levels"].get(caller["clearance"])
    for lead, spec in zip(world["leads"], specs, strict=True):
        lead.owned_by_group = world["groups"].get(spec["group"])
        lead.assigned_unit = units.get(spec["unit"])
        lead.assigned_user = users.get(spec["user"])
        lead.privacy_level = world["levels"].get(spec["level"])
        lead.users.clear()
    db.flush()
    for lead, spec in zip(world["leads"], specs, strict=True):
        lead.users.extend(
            LeadUser(user=users[name], position=i) for i, name in enumerate(spec["team"])
        )
    db.commit()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_list_holds_exactly_the_leads_its_caller_may_see(client, db, world, data):
    caller = data.draw(CALLER, label="caller")
    specs = data.draw(st.lists(LEAD, min_size=len(world["leads"]), max_size=len(world["leads"])))
    _arrange(db, world, caller, specs)
    token = world["token"]
    seen = [lead for lead, spec in zip(world["leads"], specs, strict=True) if may_see(caller, spec)]
    page = client.get("/leads.xml?per_page=100", headers={"Authorization": f"Bearer {token}"})
    listed = {e.find("id").text for e in fromstring(page.content).findall("lead")}
    assert listed == {str(lead.number) for lead in seen}
    answer = client.get(
        "/crmapi/rest/v2/leads/get_pending", params={"token": token, "fields_set": "number"}
    ).json()
    pending = {str(lead.number) for lead in seen if lead.life_cycle_state == "PENDING"}
    assert {row["number"] for row in answer["data"]} == pending
