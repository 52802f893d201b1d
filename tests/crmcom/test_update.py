"""leads/update: only given fields change, null clears, sets take add/remove items."""

from sqlalchemy import select

from leadbook.models import Lead
from tests.crmcom.conftest import ok, refused

LEAD_69 = {"number": "69"}


def test_only_the_given_fields_change(api):
    before = ok(api.get("show", lead_identifier="number=69"))
    after = ok(api.post("update", lead_identifier=LEAD_69, description="Called back"))
    assert after["description"] == "Called back"
    for key in ("priority", "importance", "target_amount", "contact_email", "competitors_set"):
        assert after[key] == before[key]


def test_null_clears_optional_fields_and_is_refused_on_mandatory_ones(api):
    after = ok(api.post("update", lead_identifier=LEAD_69, target_amount=None))
    assert after["target_amount"] is None
    refused(
        api.post("update", lead_identifier=LEAD_69, priority=None), "MANDATORY_PARAMETER_MISSING"
    )


def test_new_estimate_moves_the_expected_date(api):
    after = ok(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            estimated_completion_time={"time_period_value": 1, "time_period_uot": "MONTHS"},
        )
    )
    assert after["expected_completion_date"] == "2015-03-20T17:28:30"


def test_sets_add_and_remove(api):
    after = ok(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            users_set=[{"action": "add", "user_identifier": {"username": "x_poulli"}}],
            competitors_set=[
                {
                    "action": "REMOVE",
                    "lead_competitor_identifier": {
                        "competitor_identifier": {"name": "Competitor 4"}
                    },
                }
            ],
        )
    )
    assert [u["user"]["username"] for u in after["users_set"]] == ["x_poulli"]
    assert [c["competitor"]["name"] for c in after["competitors_set"]] == ["Competitor 1"]
    row_id = after["users_set"][0]["id"]
    after = ok(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            users_set=[{"action": "remove", "lead_user_identifier": {"id": row_id}}],
        )
    )
    assert after["users_set"] == []


def test_removing_what_is_not_there_is_refused(api):
    refused(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            competitors_set=[
                {
                    "action": "remove",
                    "lead_competitor_identifier": {
                        "competitor_identifier": {"name": "Competitor 3"}
                    },
                }
            ],
        ),
        "NOT_FOUND",
    )
    refused(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            competitors_set=[{"competitor_identifier": {"name": "Competitor 3"}}],
        ),
        "INVALID_VALUE",
    )


def test_won_lost_and_cancelled_leads_cannot_be_updated(api):
    for number in ("42", "43", "4"):
        refused(
            api.post("update", lead_identifier={"number": number}, description="x"),
            "INVALID_LIFE_CYCLE_STATE",
            409,
        )


def test_a_lost_status_needs_a_reason(api):
    refused(
        api.post("update", lead_identifier=LEAD_69, status_identifier={"name": "Lost"}),
        "MANDATORY_PARAMETER_MISSING",
    )
    lead = ok(
        api.post(
            "update",
            lead_identifier=LEAD_69,
            status_identifier={"name": "Lost"},
            lost_reason_identifier={"name": "Price"},
        )
    )
    assert lead["life_cycle_state"] == "LOST" and lead["lost_reason"]["name"] == "Price"


def test_a_refused_update_changes_nothing(api, db):
    before = ok(api.get("show", lead_identifier="number=69"))
    refused(
        api.post("update", lead_identifier=LEAD_69, description="changed", priority=42),
        "INVALID_VALUE",
    )
    assert ok(api.get("show", lead_identifier="number=69")) == before
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    assert db.scalar(select(Lead).where(Lead.number == 69)).version == 1


def test_a_set_only_change_in_the_same_second_moves_the_version_and_is_audited(api, db):
    from leadbook.domain import clock
    from leadbook.models import LeadEvent

    clock.freeze(clock.now())
    try:
        ok(api.post("update", lead_identifier=LEAD_69, description="Same second"))
        version = db.scalar(select(Lead.version).where(Lead.number == 69))
        add = [{"action": "add", "user_identifier": {"username": "x_poulli"}}]
        ok(api.post("update", lead_identifier=LEAD_69, users_set=add))
    finally:
        clock.freeze(None)
    db.rollback()
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == 69))
    assert lead.version == version + 1  # a stale writer of the sets is refused, not merged
    last = db.scalars(
        select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id.desc())
    ).first()
    before, after = last.changes["users_set"]
    assert "x_poulli" not in before and after == [*before, "x_poulli"]
