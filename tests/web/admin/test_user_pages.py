"""The admin area's users pages: create, change role and unit, disable and enable, reset
a password (typed, or made and shown once); an administrator cannot disable themselves,
and the last administrator stays one on every face."""

from __future__ import annotations

import pytest

from leadbook import models as m
from leadbook.auth import tokens
from leadbook.auth.passwords import verify_password
from leadbook.domain.errors import AuthenticationFailed, Conflict
from leadbook.refdata import config

USERS = "/web/admin/users"


def _post(client, csrf_of, path: str, data: dict):
    csrf = csrf_of(client.get(USERS).text)
    return client.post(path, data={**data, "csrf": csrf}, follow_redirects=False)


def _user(db, username: str) -> m.User | None:
    db.expire_all()
    return db.query(m.User).filter_by(username=username).one_or_none()


def test_the_users_page_lists_users_and_marks_what_is_required(signed_in):
    page = signed_in.get(USERS)
    assert page.status_code == 200
    assert 'id="user-maria"' in page.text and "Administrator" in page.text
    assert 'name="username" required' in page.text and 'title="required"' in page.text


def test_a_user_is_created_with_the_password_typed(signed_in, db, csrf_of, units):
    answer = _post(
        signed_in,
        csrf_of,
        USERS,
        {
            "username": "nikos",
            "person_name": "Nikos Sales",
            "email": "nikos@example.test",
            "role": "MANAGER",
            "unit": "North",
            "password": "a long passphrase",
        },
    )
    user = _user(db, "nikos")
    assert answer.status_code == 303 and answer.headers["location"] == f"{USERS}/{user.id}"
    assert user.role == m.Role.MANAGER and user.unit.name == "North" and user.is_active
    assert user.person_name == "Nikos Sales" and user.email == "nikos@example.test"
    assert verify_password(user.password_hash, "a long passphrase")
    assert "a long passphrase" not in signed_in.get(f"{USERS}/{user.id}").text


def test_without_a_password_one_is_made_and_shown_once(signed_in, db, csrf_of, login):
    answer = _post(signed_in, csrf_of, USERS, {"username": "eleni", "role": "SALES"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    secret = answer.text.split('<code id="secret" class="secret">')[1].split("<")[0]
    user = _user(db, "eleni")
    assert len(secret) >= 16 and verify_password(user.password_hash, secret)
    assert secret not in signed_in.get(f"{USERS}/{user.id}").text
    signed_in.cookies.clear()
    assert login("eleni", secret).status_code == 303


def test_a_taken_username_is_refused_next_to_it(signed_in, db, csrf_of, beside):
    answer = _post(signed_in, csrf_of, USERS, {"username": "maria", "role": "SALES"})
    assert answer.status_code == 409 and "taken" in beside(answer.text, "username")
    assert _user(db, "maria").role == m.Role.ADMIN
    blank = _post(signed_in, csrf_of, USERS, {"username": "", "role": "SALES"})
    assert blank.status_code == 400 and "Username is required" in beside(blank.text, "username")
    assert db.query(m.User).count() == 1


def test_role_unit_and_details_are_changed(signed_in, db, csrf_of, units, password):
    db.add(m.User(username="sam", role=m.Role.SALES))
    db.commit()
    sam = _user(db, "sam")
    answer = _post(
        signed_in,
        csrf_of,
        f"{USERS}/{sam.id}",
        {"person_name": "Sam", "email": "", "role": "MANAGER", "unit": "South", "clearance": ""},
    )
    assert answer.status_code == 303
    sam = _user(db, "sam")
    assert sam.role == m.Role.MANAGER and sam.unit.name == "South" and sam.person_name == "Sam"
    bad = _post(signed_in, csrf_of, f"{USERS}/{sam.id}", {"role": "BOSS", "unit": "South"})
    assert bad.status_code == 422
    assert _user(db, "sam").role == m.Role.MANAGER


def test_disable_ends_the_users_sessions_and_enable_lets_them_back(signed_in, db, csrf_of):
    db.add(m.User(username="sam", role=m.Role.SALES))
    db.commit()
    sam = _user(db, "sam")
    token = tokens.issue(db, sam, ttl_seconds=600)
    db.commit()
    off = _post(signed_in, csrf_of, f"{USERS}/{sam.id}/active", {"active": "false"})
    assert off.status_code == 303 and _user(db, "sam").is_active is False
    with pytest.raises(AuthenticationFailed):
        tokens.resolve(db, token)
    assert "disabled" in signed_in.get(f"{USERS}/{sam.id}").text
    on = _post(signed_in, csrf_of, f"{USERS}/{sam.id}/active", {"active": "true"})
    assert on.status_code == 303 and _user(db, "sam").is_active is True


def test_an_admin_cannot_disable_themselves(signed_in, db, csrf_of, reference, beside):
    db.add(m.User(username="other", role=m.Role.ADMIN))
    db.commit()
    me = reference["user"]
    answer = _post(signed_in, csrf_of, f"{USERS}/{me.id}/active", {"active": "false"})
    assert answer.status_code == 409
    assert "cannot disable your own account" in beside(answer.text, "is_active")
    assert _user(db, "maria").is_active is True


def test_the_last_administrator_is_neither_demoted_nor_disabled(
    signed_in, db, csrf_of, reference, beside
):
    me = reference["user"]
    answer = _post(signed_in, csrf_of, f"{USERS}/{me.id}", {"role": "SALES"})
    assert answer.status_code == 409
    assert "last active administrator" in beside(answer.text, "role")
    assert _user(db, "maria").role == m.Role.ADMIN
    db.add(m.User(username="other", role=m.Role.ADMIN))
    db.commit()
    assert _post(signed_in, csrf_of, f"{USERS}/{me.id}", {"role": "MANAGER"}).status_code == 303
    assert _user(db, "maria").role == m.Role.MANAGER


def test_the_last_administrator_rule_holds_in_config_apply_and_the_api(db, demo, client):
    from tests.crmcom.conftest import SEED_TOKEN

    admin = {"Authorization": f"Bearer {SEED_TOKEN}"}
    admins = db.query(m.User).filter_by(role=m.Role.ADMIN, is_active=True).all()
    assert [u.username for u in admins] == ["mpadministrator"]
    with pytest.raises(Conflict, match="last active administrator"):
        config.apply(db, {"users": [{"username": "mpadministrator", "is_active": False}]})
    db.rollback()
    answer = client.put(
        "/api/admin/users",
        json=[{"username": "mpadministrator", "role": "SALES"}],
        headers=admin,
    )
    assert answer.status_code == 409 and "users[0].role" in answer.json()["error"]["message"]
    own = client.delete("/api/admin/users/mpadministrator", headers=admin)
    assert own.status_code == 409 and "your own account" in own.json()["error"]["message"]
    assert _user(db, "mpadministrator").role == m.Role.ADMIN


def test_a_password_is_reset_typed_or_made(signed_in, db, csrf_of):
    db.add(m.User(username="sam", role=m.Role.SALES))
    db.commit()
    sam = _user(db, "sam")
    typed = _post(signed_in, csrf_of, f"{USERS}/{sam.id}/password", {"password": "new one here"})
    assert typed.status_code == 303 and typed.headers["location"].endswith("?done=password")
    assert verify_password(_user(db, "sam").password_hash, "new one here")
    made = _post(signed_in, csrf_of, f"{USERS}/{sam.id}/password", {"password": ""})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = made.text.split('<code id="secret" class="secret">')[1].split("<")[0]
    assert verify_password(_user(db, "sam").password_hash, secret)


def test_a_post_without_the_csrf_token_changes_nothing(signed_in, db, reference):
    answer = signed_in.post(USERS, data={"username": "nocsrf", "role": "SALES"})
    assert answer.status_code == 403 and _user(db, "nocsrf") is None
