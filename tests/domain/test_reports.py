"""Reports on a crafted history (a lead type of its own, a clock moved by hand, a period
after the demo data): funnel counts and drop-off, conversion and win rate by source,
median and p90 of time to win and in each status, activity per user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.domain import changes, clock, leads, lifecycle
from leadbook.domain.actor import Actor
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.reports import activity, conversion, durations, funnel
from leadbook.domain.reports.filters import ReportFilter
from leadbook.models import LifeCycleState
from leadbook.refdata import config

T0 = datetime(2032, 5, 3, 8, 0, 0)
DAY = 86400.0


@dataclass
class History:
    lead_type: m.LeadType
    leads: list[m.Lead]
    period: ReportFilter
    salesman: m.User


def _status(db, name: str) -> m.LeadStatus:
    return db.scalar(select(m.LeadStatus).where(m.LeadStatus.name == name))


def craft(db, actor: Actor) -> History:
    """Ten leads of type Crafted created at T0 (five from source alpha, five from beta;
    the first three assigned to mariosm): six start (Interest) on day 1, three of them go
    on to Proposal on day 3, one other is lost on day 4, two are won on days 5 and 9."""
    config.apply(
        db,
        {
            "lead_types": [
                {
                    "name": "Crafted",
                    "statuses": ["Reach", "Interest", "Proposal", "Won", "Lost", "Cancelled"],
                    "create_status": "Reach",
                    "start_status": "Interest",
                    "win_status": "Won",
                    "lost_status": "Lost",
                    "cancel_status": "Cancelled",
                }
            ]
        },
    )
    lead_type = db.scalar(select(m.LeadType).where(m.LeadType.name == "Crafted"))
    salesman = db.scalar(select(m.User).where(m.User.username == "mariosm"))

    def at(days: float) -> None:
        clock.freeze(T0 + timedelta(days=days))

    at(0)
    made = []
    for i in range(10):
        values = {
            "type": lead_type,
            "importance": "IMPORTANCE3",
            "priority": 2,
            "contact": m.Contact(type="PERSON", last_name=f"Crafted {i}"),
        }
        if i < 3:
            values["assigned_user"] = salesman
        source = changes.Source(type="WEBSITE", name="alpha" if i < 5 else "beta")
        lead = leads.create(db, actor, changes.LeadChanges(values=values, source=source))
        lead.attribution = {"utm_source": "news" if i % 2 else "ads"}
        made.append(lead)
    db.flush()
    at(1)
    for lead in made[:6]:
        lifecycle.move_to(db, actor, lead, LifeCycleState.IN_PROGRESS)
    at(3)
    for lead in made[:3]:
        lifecycle.move_to(db, actor, lead, _status(db, "Proposal"))
    at(4)
    lost = db.scalar(select(m.LostReason))
    lifecycle.move_to(db, actor, made[3], LifeCycleState.LOST, lost_reason=lost)
    at(5)
    lifecycle.move_to(db, actor, made[0], LifeCycleState.WON)
    at(9)
    lifecycle.move_to(db, actor, made[1], LifeCycleState.WON)
    clock.freeze(None)
    period = ReportFilter(since=T0, until=T0 + timedelta(days=30), lead_type=lead_type)
    return History(lead_type, made, period, salesman)


@pytest.fixture
def history(db, actor) -> History:
    try:
        return craft(db, actor)
    finally:
        clock.freeze(None)


def test_funnel_counts_first_entries_and_drop_off_between_stages(db, actor, history):
    report = funnel.funnel(db, actor, history.period)
    assert [(s.status, s.leads, s.drop_off_percent) for s in report.stages] == [
        ("Reach", 10, 40.0),
        ("Interest", 6, 50.0),
        ("Proposal", 3, 33.3),
        ("Won", 2, None),
    ]
    assert report.exits == {"Lost": 1, "Cancelled": 0}


def test_funnel_needs_a_type_and_counts_entries_in_the_period(db, actor, history):
    with pytest.raises(MandatoryParameterMissing) as refused:
        funnel.funnel(db, actor, ReportFilter())
    assert refused.value.field == "lead_type"
    later = ReportFilter(
        since=T0 + timedelta(days=2), until=T0 + timedelta(days=6), lead_type=history.lead_type
    )
    counts = {s.status: s.leads for s in funnel.funnel(db, actor, later).stages}
    assert counts == {"Reach": 0, "Interest": 0, "Proposal": 3, "Won": 1}


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidValue) as refused:
        ReportFilter(since=T0, until=T0)
    assert refused.value.field == "until"


def test_conversion_and_win_rate_by_source_name_and_attribution(db, actor, history):
    rows = conversion.conversion(db, actor, history.period, "source_name")
    assert [(r.source, r.leads, r.won, r.lost, r.open) for r in rows] == [
        ("alpha", 5, 2, 1, 2),
        ("beta", 5, 0, 0, 5),
    ]
    assert (rows[0].conversion_percent, rows[0].win_rate_percent) == (40.0, 66.7)
    assert (rows[1].conversion_percent, rows[1].win_rate_percent) == (0.0, None)
    by_utm = conversion.conversion(db, actor, history.period, "attribution.utm_source")
    assert {r.source: (r.leads, r.won) for r in by_utm} == {"ads": (5, 1), "news": (5, 1)}
    with pytest.raises(InvalidValue) as refused:
        conversion.conversion(db, actor, history.period, "colour")
    assert refused.value.field == "by"


def test_time_to_win_median_and_p90(db, actor, history):
    summary = durations.time_to_win(db, actor, history.period)
    assert summary.count == 2
    assert summary.median == pytest.approx(7 * DAY, abs=1)
    assert summary.p90 == pytest.approx(8.6 * DAY, abs=1)


def test_time_in_each_status_over_the_stays_that_ended(db, actor, history):
    report = {r.status: r.time for r in durations.time_in_status(db, actor, history.period)}
    assert report["Reach"].count == 6 and report["Reach"].median == pytest.approx(DAY, abs=1)
    interest = report["Interest"]  # 2, 2, 2 days (to Proposal) and 3 (lost)
    assert interest.count == 4 and interest.median == pytest.approx(2 * DAY, abs=1)
    assert interest.p90 == pytest.approx(2.7 * DAY, abs=1)
    proposal = report["Proposal"]  # 2 and 6 days
    assert proposal.median == pytest.approx(4 * DAY, abs=1)
    assert proposal.p90 == pytest.approx(5.6 * DAY, abs=1)
    assert report["Won"].count == 0 and report["Won"].median is None


def test_activity_counts_each_users_changes_by_action(db, actor, history):
    rows = activity.activity(db, actor, history.period)
    mine = next(r for r in rows if r.username == actor.user.username)
    assert {k: mine.actions.get(k) for k in ("create", "start_progress", "win", "lose")} == {
        "create": 10,
        "start_progress": 6,
        "win": 2,
        "lose": 1,
    }
    assert mine.actions["update"] == 3  # Interest → Proposal
    assert activity.activity(db, actor, ReportFilter(since=T0 + timedelta(days=40))) == []


def test_a_salesman_sees_reports_over_the_leads_he_may_see(db, history):
    seller = Actor(history.salesman, history.salesman.unit)
    stages = {s.status: s.leads for s in funnel.funnel(db, seller, history.period).stages}
    assert stages == {"Reach": 3, "Interest": 3, "Proposal": 3, "Won": 2}
    rows = conversion.conversion(db, seller, history.period, "source_name")
    assert [(r.source, r.leads) for r in rows] == [("alpha", 3)]
    assert durations.time_to_win(db, seller, history.period).count == 2


def test_a_deleted_lead_leaves_the_funnel(db, actor, history):
    leads.delete(db, actor, history.leads[9])
    stages = {s.status: s.leads for s in funnel.funnel(db, actor, history.period).stages}
    assert stages["Reach"] == 9
