"""The admin area's reference data pages: rows listed, created, changed, renamed and
deleted through plain forms as the admin API would; refusals change nothing and are shown
next to their field; administrators only."""

from __future__ import annotations

import pytest

from leadbook import models as m
from leadbook.auth.passwords import verify_password
from leadbook.domain.errors import Conflict
from leadbook.refdata import config

DATA = "/web/admin/data"


def _post(client, csrf_of, page: str, path: str, data: dict):
    csrf = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf": csrf}, follow_redirects=False)


def _status(db, name: str):
    db.expire_all()
    return db.query(m.LeadStatus).filter_by(name=name).one_or_none()


def test_the_index_lists_every_section_and_the_nav_links_to_it(signed_in):
    assert 'href="/web/admin"' in signed_in.get("/web/board").text
    index = signed_in.get("/web/admin")
    assert index.status_code == 200
    for path in (f"{DATA}/lead_statuses", f"{DATA}/lost_reasons", f"{DATA}/units"):
        assert f'href="{path}"' in index.text
    assert 'href="/web/admin/users"' in index.text and 'href="/web/admin/api-keys"' in index.text
    for section in ("lead_types", "lead_statuses", "lost_reasons", "groups", "products"):
        assert signed_in.get(f"{DATA}/{section}").status_code == 200
    assert "Price" in signed_in.get(f"{DATA}/lost_reasons").text


@pytest.mark.parametrize("role", [m.Role.SALES, m.Role.MANAGER])
def test_others_get_the_web_s_403_and_change_nothing(client, db, as_role, csrf_of, role, password):
    as_role(role)
    assert 'href="/web/admin"' not in client.get("/web/board").text
    reason = db.query(m.LostReason).filter_by(name="Price").one()
    maria = db.query(m.User).filter_by(username="maria").one()
    csrf = csrf_of(client.get("/web/leads").text)
    users, keys = "/web/admin/users", "/web/admin/api-keys"
    for answer in (
        client.get("/web/admin"),
        client.get(f"{DATA}/lost_reasons"),
        client.get(f"{DATA}/lost_reasons/{reason.id}"),
        client.get(users),
        client.get(f"{users}/{maria.id}"),
        client.get(keys),
        client.post(f"{DATA}/lost_reasons", data={"name": "Mine", "csrf": csrf}),
        client.post(f"{DATA}/lost_reasons/{reason.id}", data={"name": "Cost", "csrf": csrf}),
        client.post(f"{DATA}/lost_reasons/{reason.id}/delete", data={"csrf": csrf}),
        client.post(users, data={"username": "mine", "role": "ADMIN", "csrf": csrf}),
        client.post(f"{users}/{maria.id}", data={"role": "SALES", "csrf": csrf}),
        client.post(f"{users}/{maria.id}/active", data={"active": "false", "csrf": csrf}),
        client.post(f"{users}/{maria.id}/password", data={"password": "x", "csrf": csrf}),
        client.post(keys, data={"user": "maria", "csrf": csrf}),
    ):
        assert answer.status_code == 403
        assert "PERMISSION_DENIED" in answer.text and 'role="alert"' in answer.text
    db.expire_all()
    assert db.query(m.LostReason).filter_by(name="Mine").count() == 0
    assert db.get(m.LostReason, reason.id).name == "Price"
    assert db.query(m.User).filter_by(username="mine").count() == 0
    maria = db.query(m.User).filter_by(username="maria").one()
    assert maria.role == m.Role.ADMIN and maria.is_active
    assert verify_password(maria.password_hash, password)
    assert db.query(m.ApiKey).count() == 0


def test_a_status_is_created_renamed_and_deleted_as_the_api_would(signed_in, db, csrf_of):
    page = f"{DATA}/lead_statuses"
    made = _post(
        signed_in,
        csrf_of,
        page,
        page,
        {"name": "Negotiation", "alternative_code": "NEG", "life_cycle_state": "IN_PROGRESS"},
    )
    assert made.status_code == 303 and made.headers["location"] == page
    row = _status(db, "Negotiation")
    assert row.alternative_code == "NEG" and row.life_cycle_state == "IN_PROGRESS"
    exported = config.export(db, [config.BY_NAME["lead_statuses"]])["lead_statuses"]
    assert {"name": "Negotiation", "alternative_code": "NEG"}.items() <= next(
        r for r in exported if r["name"] == "Negotiation"
    ).items()

    edit = f"{page}/{row.id}"
    renamed = _post(
        signed_in,
        csrf_of,
        edit,
        edit,
        {"name": "Haggling", "alternative_code": "", "life_cycle_state": "IN_PROGRESS"},
    )
    assert renamed.status_code == 303 and renamed.headers["location"] == edit
    row = _status(db, "Haggling")
    assert row is not None and row.alternative_code is None
    assert _status(db, "Negotiation") is None

    gone = _post(signed_in, csrf_of, edit, f"{edit}/delete", {})
    assert gone.status_code == 303 and gone.headers["location"] == page
    assert _status(db, "Haggling") is None


def test_a_status_in_use_is_not_deleted_and_says_so_next_to_delete(
    signed_in, db, csrf_of, reference, beside
):
    reach = reference["statuses"]["PENDING"]
    edit = f"{DATA}/lead_statuses/{reach.id}"
    answer = _post(signed_in, csrf_of, edit, f"{edit}/delete", {})
    assert answer.status_code == 409
    assert "still in use" in beside(answer.text, "delete")
    assert _status(db, "Reach") is not None


def test_a_taken_name_is_refused_next_to_the_name_and_nothing_is_stored(
    signed_in, db, csrf_of, beside
):
    page = f"{DATA}/lead_statuses"
    before = db.query(m.LeadStatus).count()
    answer = _post(
        signed_in, csrf_of, page, page, {"name": "Reach", "life_cycle_state": "WON", "x": "1"}
    )
    assert answer.status_code == 409
    assert "'Reach' is taken" in beside(answer.text, "name")
    assert 'value="Reach"' in answer.text  # the form as typed
    db.expire_all()
    assert db.query(m.LeadStatus).count() == before
    assert _status(db, "Reach").life_cycle_state == "PENDING"


def test_bad_values_are_refused_next_to_their_field(signed_in, db, csrf_of, beside):
    page = f"{DATA}/lead_statuses"
    answer = _post(signed_in, csrf_of, page, page, {"name": "Odd", "life_cycle_state": "DONE"})
    assert answer.status_code == 422
    assert "Life cycle state must be one of" in beside(answer.text, "life_cycle_state")
    blank = _post(signed_in, csrf_of, page, page, {"name": " ", "life_cycle_state": "WON"})
    assert blank.status_code == 400 and "Name is required" in beside(blank.text, "name")
    levels = f"{DATA}/privacy_levels"
    answer = _post(
        signed_in, csrf_of, levels, levels, {"number": "9", "name": "Top", "hierarchy_level": "x"}
    )
    assert answer.status_code == 422 and beside(answer.text, "hierarchy_level")
    db.expire_all()
    assert _status(db, "Odd") is None and db.query(m.PrivacyLevel).count() == 0


def test_a_lead_type_gets_its_statuses_and_defaults_per_life_cycle_state(
    signed_in, db, csrf_of, reference
):
    page = f"{DATA}/lead_types"
    form = signed_in.get(page).text
    assert "<strong>Pending:</strong>" in form and 'name="status:Reach"' in form
    made = _post(
        signed_in,
        csrf_of,
        page,
        page,
        {
            "name": "Renewal",
            "status:Reach": "on",
            "status:Won": "on",
            "create_status": "Reach",
            "win_status": "Won",
            "first_response_minutes": "30",
        },
    )
    assert made.status_code == 303
    db.expire_all()
    row = db.query(m.LeadType).filter_by(name="Renewal").one()
    assert {s.name for s in row.statuses} == {"Reach", "Won"}
    assert row.create_status.name == "Reach" and row.win_status.name == "Won"
    assert row.first_response_minutes == 30
    assert 'name="status:Won" checked' in signed_in.get(f"{page}/{row.id}").text


def test_a_unit_names_its_group(signed_in, db, csrf_of):
    db.add(m.Group(name="East"))
    db.commit()
    page = f"{DATA}/units"
    assert (
        _post(signed_in, csrf_of, page, page, {"name": "Ops", "group": "East"}).status_code == 303
    )
    db.expire_all()
    assert db.query(m.Unit).filter_by(name="Ops").one().group.name == "East"


def test_a_post_without_the_csrf_token_changes_nothing(signed_in, db):
    answer = signed_in.post(f"{DATA}/lost_reasons", data={"name": "Budget"})
    assert answer.status_code == 403
    db.expire_all()
    assert db.query(m.LostReason).filter_by(name="Budget").count() == 0


def test_unknown_sections_and_rows_are_404(signed_in):
    assert signed_in.get(f"{DATA}/contacts").status_code == 404
    assert signed_in.get(f"{DATA}/lost_reasons/nope").status_code == 404


def test_a_code_another_row_holds_is_refused_here_and_in_the_api(
    signed_in, db, csrf_of, beside, client
):
    db.add(m.LostReason(name="Budget", alternative_code="BUD"))
    db.commit()
    page = f"{DATA}/lost_reasons"
    answer = _post(signed_in, csrf_of, page, page, {"name": "Money", "alternative_code": "BUD"})
    assert answer.status_code == 409
    assert "'BUD' is taken by lost_reasons 'Budget'" in beside(answer.text, "alternative_code")
    with pytest.raises(Conflict, match=r"lost_reasons\[0\].alternative_code"):
        config.apply(db, {"lost_reasons": [{"name": "Money", "alternative_code": "BUD"}]})
    db.rollback()
    assert db.query(m.LostReason).filter_by(name="Money").count() == 0


def test_long_lists_are_paged_by_a_hundred(signed_in, db):
    db.add_all([m.LostReason(name=f"Reason {i:03}") for i in range(100)])  # + Price, Timing
    db.commit()
    page = f"{DATA}/lost_reasons"
    first = signed_in.get(page).text
    assert first.count('<tr id="row-') == 100 and f'href="{page}?page=2">Next<' in first
    assert "Reason 098" in first and "Reason 099" not in first and "Timing" not in first
    second = signed_in.get(page, params={"page": 2}).text
    assert second.count('<tr id="row-') == 2 and "Reason 099" in second and "Timing" in second
    assert f'href="{page}?page=1">Previous<' in second and ">Next<" not in second
    assert signed_in.get(page, params={"page": 0}).status_code == 400
