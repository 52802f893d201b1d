"""Roles and clearances are granted per user by the admin API, config and the CLI, and shown
on the user; migration 0004 keeps the administrators administrators."""

from alembic import command
from sqlalchemy import text

from leadbook.db import make_engine
from leadbook.migrate import alembic_config
from tests.crmcom.conftest import SEED_TOKEN

ADMIN = {"Authorization": f"Bearer {SEED_TOKEN}"}


def test_the_user_shows_its_role_and_clearance(client, demo):
    admin = client.get("/api/admin/users/mpadministrator", headers=ADMIN).json()
    assert admin["role"] == "ADMIN" and "clearance" not in admin and "is_admin" not in admin
    seller = client.get("/api/admin/users/x_poulli", headers=ADMIN).json()
    assert seller["role"] == "SALES"


def test_a_role_and_clearance_are_granted_and_a_new_user_is_sales(client, demo):
    rows = [{"username": "nina", "unit": "Sales Unit"}]
    assert client.put("/api/admin/users", json=rows, headers=ADMIN).status_code == 200
    assert client.get("/api/admin/users/nina", headers=ADMIN).json()["role"] == "SALES"
    rows = [{"username": "nina", "role": "manager", "clearance": "8"}]
    answer = client.put("/api/admin/users", json=rows, headers=ADMIN).json()
    assert answer["updated"] == {"users": 1}
    nina = client.get("/api/admin/users/nina", headers=ADMIN).json()
    assert nina["role"] == "MANAGER" and nina["clearance"] == "8"


def test_an_unknown_role_or_clearance_is_refused_and_changes_nothing(client, demo):
    for row in ({"username": "nina", "role": "boss"}, {"username": "nina", "clearance": "77"}):
        answer = client.put("/api/admin/users", json=[row], headers=ADMIN)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["code"] == "INVALID_VALUE"
        assert "users[0]" in answer.json()["error"]["message"]
        assert client.get("/api/admin/users/nina", headers=ADMIN).status_code == 404


def test_migration_makes_administrators_admin_and_everyone_else_sales(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0003")
    engine = make_engine(url)  # foreign keys enforced, as the app's
    with engine.begin() as conn:
        for name, admin in (("root", True), ("clerk", False)):
            conn.execute(
                text(
                    "INSERT INTO users (id, username, is_admin, is_active) VALUES (:i, :u, :a, 1)"
                ),
                {"i": name, "u": name, "a": admin},
            )
        conn.execute(  # a row pointing at a user, deleted with it: the rebuilds keep it
            text(
                "INSERT INTO access_tokens (token_hash, user_id, created_at)"
                " VALUES ('h', 'clerk', '2026-01-01')"
            )
        )
    command.upgrade(config, "0004")
    with engine.connect() as conn:
        roles = dict(conn.execute(text("SELECT username, role FROM users")).all())
        assert conn.scalar(text("SELECT count(*) FROM access_tokens")) == 1
    assert roles == {"root": "ADMIN", "clerk": "SALES"}
    command.downgrade(config, "0003")
    with engine.connect() as conn:
        admins = dict(conn.execute(text("SELECT username, is_admin FROM users")).all())
        assert conn.scalar(text("SELECT count(*) FROM access_tokens")) == 1
    engine.dispose()
    assert admins == {"root": 1, "clerk": 0}
