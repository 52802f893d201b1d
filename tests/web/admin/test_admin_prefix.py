"""The admin pages under a path prefix (``serve --root-path /crm``): every address they
hold, the pager's included, and every redirect after a post start with the prefix."""

from __future__ import annotations

from leadbook import models as m
from tests.web.test_root_path import ROOT, addresses, prefixed  # noqa: F401 (a fixture)


def test_every_admin_address_carries_the_prefix(prefixed, db, reference):  # noqa: F811
    db.add_all([m.LostReason(name=f"Reason {i:03}") for i in range(120)])
    db.commit()
    reason = db.query(m.LostReason).filter_by(name="Price").one()
    pages = [
        "/web/admin",
        "/web/admin/data/lost_reasons",
        "/web/admin/data/lost_reasons?page=2",
        f"/web/admin/data/lost_reasons/{reason.id}",
        "/web/admin/data/lead_types",
        f"/web/admin/data/lead_types/{reference['type'].id}",
        "/web/admin/users",
        f"/web/admin/users/{reference['user'].id}",
        "/web/admin/api-keys",
    ]
    for page in pages:
        answer = prefixed.get(ROOT + page)
        assert answer.status_code == 200, (page, answer.text)
        wrong = [a for a in addresses(answer.text) if not a.startswith(ROOT + "/web/")]
        assert wrong == [], page
    paged = prefixed.get(f"{ROOT}/web/admin/data/lost_reasons").text
    assert f'href="{ROOT}/web/admin/data/lost_reasons?page=2"' in paged


def test_redirects_after_admin_posts_carry_the_prefix(prefixed, csrf_of, db, reference):  # noqa: F811
    csrf = csrf_of(prefixed.get(f"{ROOT}/web/admin/users").text)
    made = prefixed.post(
        f"{ROOT}/web/admin/data/lost_reasons",
        data={"name": "Budget", "csrf": csrf},
        follow_redirects=False,
    )
    assert made.headers["location"] == f"{ROOT}/web/admin/data/lost_reasons"
    user = prefixed.post(
        f"{ROOT}/web/admin/users",
        data={"username": "nikos", "role": "SALES", "password": "long enough", "csrf": csrf},
        follow_redirects=False,
    )
    nikos = db.query(m.User).filter_by(username="nikos").one()
    assert user.headers["location"] == f"{ROOT}/web/admin/users/{nikos.id}"
