"""Who may see and change what (docs/access.md): roles × operations × faces over HTTP, on
demo lead 40 (Pending, owned by Main Group, assigned to the administrator)."""

from __future__ import annotations

import hashlib
import re
from xml.etree.ElementTree import fromstring

import pytest
from sqlalchemy import func, select

from leadbook.auth import tokens
from leadbook.models import Group, Lead, PrivacyLevel, Role, Unit, User
from leadbook.web.session import COOKIE

API = "/crmapi/rest/v2/leads"
# username → (role, unit); Sales Unit is in Main Group, CSR Unit in CSR Group
PEOPLE = {
    "boss": (Role.MANAGER, "Sales Unit"),
    "sam": (Role.SALES, "Sales Unit"),
    "rita": (Role.READ_ONLY, "Sales Unit"),
    "otto": (Role.SALES, "CSR Unit"),
    "olga": (Role.MANAGER, "CSR Unit"),
}
MISSING = 999_999


@pytest.fixture
def people(db, demo) -> dict[str, str]:
    """Adds the users of PEOPLE (and CSR Unit); returns a token per username."""
    csr = db.scalar(select(Group).where(Group.name == "CSR Group"))
    db.add(Unit(name="CSR Unit", group=csr))
    db.flush()
    found = {}
    for name, (role, unit) in PEOPLE.items():
        user = User(username=name, role=role, unit=db.scalar(select(Unit).where(Unit.name == unit)))
        db.add(user)
        db.flush()
        found[name] = tokens.issue(db, user, ttl_seconds=None)
    admin = db.scalar(select(User).where(User.username == "mpadministrator"))
    found["admin"] = tokens.issue(db, admin, ttl_seconds=None)
    db.commit()
    return found


def _state(db, number: int = 40) -> tuple[str, int] | None:
    db.rollback()
    db.expire_all()
    lead = db.scalar(select(Lead).where(Lead.number == number))
    return (lead.life_cycle_state, lead.version) if lead else None


def crmcom(client, token: str, op: str, number: int):
    ident = {"number": str(number)}
    if op == "show":
        params = {"token": token, "lead_identifier": f"number={number}", "fields_set": "number"}
        return client.get(f"{API}/show", params=params)
    if op == "list":
        return client.get(f"{API}/get_pending", params={"token": token, "fields_set": "number"})
    if op == "update":
        body = {"token": token, "lead_identifier": ident, "description": "changed"}
        return client.post(f"{API}/update", json=body)
    return client.post(f"{API}/cancel", json={"token": token, "lead_identifier": ident})


def xml(client, token: str, op: str, number: int):
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/leads/{number}.xml"
    if op == "show":
        return client.get(url, headers=auth)
    if op == "list":
        return client.get("/leads.xml?per_page=100", headers=auth)
    if op == "update":
        body = b"<lead><description>changed</description></lead>"
        return client.put(url, content=body, headers=auth)
    return client.delete(url, headers=auth)


def web(client, token: str, op: str, number: int):
    client.cookies.set(COOKIE, token)
    csrf = hashlib.sha256(f"csrf:{token}".encode()).hexdigest()
    if op == "show":
        return client.get(f"/web/leads/{number}")
    if op == "list":
        return client.get("/web/leads?size=100&owner=all")  # everyone's it sees
    return client.post(
        f"/web/leads/{number}/move",
        data={"action": "cancel", "csrf": csrf},
        follow_redirects=False,
    )


def _listed(face: str, answer) -> bool:
    if face == "crmcom":
        return {"number": "40"} in answer.json()["data"]
    if face == "xml":
        return "40" in [e.find("id").text for e in fromstring(answer.content).findall("lead")]
    return 'href="/web/leads/40"' in answer.text


FACES = {"crmcom": crmcom, "xml": xml, "web": web}
OPS = {"crmcom": ("show", "list", "update", "cancel"), "xml": ("show", "list", "update", "delete")}
OPS["web"] = ("show", "list", "cancel")
# what each caller gets on lead 40: ok, denied (403, it sees the lead) or missing (404)
EXPECTED = {
    "admin": {"delete": "ok"},
    "boss": {"delete": "ok"},
    "sam": {"delete": "denied"},
    "rita": {"update": "denied", "cancel": "denied", "delete": "denied"},
    "otto": dict.fromkeys(("show", "list", "update", "cancel", "delete"), "missing"),
    "olga": dict.fromkeys(("show", "list", "update", "cancel", "delete"), "missing"),
}
MATRIX = [
    (who, face, op, EXPECTED[who].get(op, "ok"))
    for who in EXPECTED
    for face, ops in OPS.items()
    for op in ops
]


@pytest.mark.parametrize(("who", "face", "op", "outcome"), MATRIX)
def test_role_operation_face(client, db, people, who, face, op, outcome):
    before = _state(db)
    answer = FACES[face](client, people[who], op, 40)
    if op == "list":
        assert answer.status_code == 200
        assert _listed(face, answer) is (outcome == "ok")
        return
    code = answer.status_code
    if outcome == "ok":
        assert code in (200, 303), answer.text
        if op in ("cancel", "delete"):
            assert _state(db) != before
        return
    assert code == (403 if outcome == "denied" else 404), answer.text
    assert _state(db) == before  # a refusal changes nothing


@pytest.mark.parametrize(
    ("face", "op"), [(face, op) for face, ops in OPS.items() for op in ops if op != "list"]
)
def test_an_unseen_lead_answers_exactly_like_a_missing_one(client, people, face, op):
    unseen = FACES[face](client, people["otto"], op, 40)
    missing = FACES[face](client, people["otto"], op, MISSING)
    assert unseen.status_code == missing.status_code == 404
    # the number as a word only (a page's CSRF token is hex that may hold "40")
    unseen_text = re.sub(r"\b40\b", "N", unseen.text)
    assert unseen_text == re.sub(rf"\b{MISSING}\b", "N", missing.text)


def test_a_new_user_sees_nothing_of_another_group(client, people):
    answer = client.get(f"{API}/get_pending", params={"token": people["otto"]})
    numbers = {row["number"] for row in answer.json()["data"]}
    assert "40" not in numbers and "69" in {  # 69 is owned by CSR Group
        row["number"]
        for row in client.get(
            f"{API}/list", params={"token": people["otto"], "importance": "IMPORTANCE2"}
        ).json()["data"]
    }


def test_sales_sees_a_lead_assigned_to_it_or_listing_it(client, db, people):
    sam = db.scalar(select(User).where(User.username == "sam"))
    for number in (69, 116):  # owned by CSR Group; owned by Main Group but not theirs
        lead = db.scalar(select(Lead).where(Lead.number == number))
        lead.owned_by_group = None
    db.commit()
    assert crmcom(client, people["sam"], "show", 69).status_code == 404
    lead = db.scalar(select(Lead).where(Lead.number == 69))
    lead.assigned_user = sam
    db.commit()
    assert crmcom(client, people["sam"], "show", 69).status_code == 200
    add = {"action": "ADD", "user_identifier": {"username": "sam"}}
    body = {"token": people["admin"], "lead_identifier": {"number": "116"}, "users_set": [add]}
    assert client.post(f"{API}/update", json=body).json()["status"]["code"] == "OK"
    assert crmcom(client, people["sam"], "show", 116).status_code == 200
    assert crmcom(client, people["otto"], "show", 116).status_code == 404


def test_a_manager_sees_leads_assigned_within_its_group(client, db, people):
    user = {u.username: u for u in db.scalars(select(User))}
    lead = db.scalar(select(Lead).where(Lead.number == 69))  # owned by CSR Group
    lead.assigned_user, lead.assigned_unit = user["otto"], user["otto"].unit
    db.commit()
    assert crmcom(client, people["boss"], "show", 69).status_code == 404
    assert crmcom(client, people["olga"], "show", 69).status_code == 200
    lead.owned_by_group, lead.assigned_unit, lead.assigned_user = None, None, user["sam"]
    db.commit()
    assert crmcom(client, people["boss"], "show", 69).status_code == 200
    assert crmcom(client, people["olga"], "show", 69).status_code == 404
    lead.assigned_user, lead.assigned_unit = None, user["olga"].unit
    db.commit()
    assert crmcom(client, people["boss"], "show", 69).status_code == 404
    assert crmcom(client, people["olga"], "show", 69).status_code == 200


def test_a_private_lead_needs_the_clearance(client, db, people):
    secret = PrivacyLevel(number="90", name="Secret", hierarchy_level=5)
    public = db.scalar(select(PrivacyLevel).where(PrivacyLevel.number == "8"))
    db.add(secret)
    db.scalar(select(Lead).where(Lead.number == 40)).privacy_level = secret
    sam = db.scalar(select(User).where(User.username == "sam"))
    sam.clearance = public
    db.commit()
    for face in FACES:
        assert FACES[face](client, people["sam"], "show", 40).status_code == 404
        assert not _listed(face, FACES[face](client, people["sam"], "list", 40))
    assert crmcom(client, people["admin"], "show", 40).status_code == 200
    sam.clearance = secret
    db.commit()
    assert crmcom(client, people["sam"], "show", 40).status_code == 200


def test_a_user_cannot_set_a_privacy_level_above_its_clearance(client, db, people):
    before = _state(db)
    body = {
        "token": people["sam"],
        "lead_identifier": {"number": "40"},
        "privacy_level_identifier": {"number": "8"},
    }
    answer = client.post(f"{API}/update", json=body)
    assert answer.status_code == 403 and answer.json()["status"]["code"] == "PERMISSION_DENIED"
    assert "privacy_level_identifier" in answer.json()["status"]["message"]
    assert _state(db) == before
    db.scalar(select(User).where(User.username == "sam")).clearance = db.scalar(
        select(PrivacyLevel).where(PrivacyLevel.number == "8")
    )
    db.commit()
    assert client.post(f"{API}/update", json=body).json()["status"]["code"] == "OK"


def test_read_only_cannot_create(client, db, people):
    body = {
        "token": people["rita"],
        "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Lovelace"},
        "importance": "IMPORTANCE2",
        "priority": 2,
        "type_identifier": {"name": "New Customer"},
        "source": {"type": "WEBSITE", "name": "leadbook.example"},
        "estimated_completion_time": {"time_period_value": 3, "time_period_uot": "WEEKS"},
    }
    answer = client.post(f"{API}/create", json=body)
    assert answer.status_code == 403 and answer.json()["status"]["code"] == "PERMISSION_DENIED"
    body["token"] = people["sam"]
    assert client.post(f"{API}/create", json=body).json()["status"]["code"] == "OK"


def test_the_dashboard_and_board_show_only_the_leads_seen(client, db, people):
    client.cookies.set(COOKIE, people["otto"])  # sees 69 only: Pending, 58 at 58 %
    html = client.get("/web/dashboard").text
    counts = dict(re.findall(r'data-state="(\w+)" data-count="(\d+)"', html))
    assert counts == {"PENDING": "1", "IN_PROGRESS": "0", "WON": "0", "LOST": "0", "CANCELLED": "0"}
    assert '<strong id="weighted">33.64</strong>' in html
    kind = db.scalar(select(Lead).where(Lead.number == 69)).type_id
    board = client.get("/web/board", params={"type": kind, "owner": "all"}).text
    assert set(re.findall(r'href="/web/leads/(\d+)"', board)) == {"69"}


EDIT = 'href="/web/leads/40/edit"'
SETS = 'action="/web/leads/40/sets"'
MOVES = ('class="move-start_progress"', 'class="move-lose"', 'class="move-cancel"')


@pytest.mark.parametrize(("who", "writes"), [("admin", 1), ("boss", 1), ("sam", 1), ("rita", 0)])
def test_the_pages_offer_only_what_the_role_may_do(client, db, people, who, writes):
    client.cookies.set(COOKIE, people[who])
    page = client.get("/web/leads/40").text
    offered = [EDIT in page, SETS in page, *(move in page for move in MOVES)]
    assert offered == [bool(writes)] * len(offered), offered
    assert ('href="/web/leads/new"' in page) is bool(writes)
    kind = db.scalar(select(Lead).where(Lead.number == 40)).type_id
    board = client.get("/web/board", params={"type": kind, "owner": "all"}).text
    card = board[board.index('id="lead-40"') :].split("</article>")[0]
    assert ('draggable="true"' in card) is bool(writes)
    assert ('class="move-cancel"' in card) is bool(writes)
    assert client.get("/web/leads/40/edit").status_code == (200 if writes else 403)
    assert client.get("/web/leads/new").status_code == (200 if writes else 403)


def _count(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(Lead))


def _web_post(client, token: str, path: str, **data):
    client.cookies.set(COOKIE, token)
    data["csrf"] = hashlib.sha256(f"csrf:{token}".encode()).hexdigest()
    return client.post(path, data=data, follow_redirects=False)


READ_ONLY_WRITES = {
    "crmcom create": lambda c, t: c.post(f"{API}/create", json={"token": t, **NEW_LEAD}),
    **{
        f"crmcom {move}": lambda c, t, move=move, extra=extra: c.post(
            f"{API}/{move}", json={"token": t, "lead_identifier": {"number": "40"}, **extra}
        )
        for move, extra in {
            "start_progress": {},
            "win": {},
            "lost": {"lost_reason_identifier": {"name": "Price"}},
        }.items()
    },
    "xml create": lambda c, t: c.post(
        "/leads.xml",
        content=b"<lead><client_name>Hooli</client_name></lead>",
        headers={"Authorization": f"Bearer {t}"},
    ),
    "web create": lambda c, t: _web_post(c, t, "/web/leads/new", topic="x"),
    "web edit": lambda c, t: _web_post(c, t, "/web/leads/40/edit", topic="x"),
    "web sets": lambda c, t: _web_post(c, t, "/web/leads/40/sets", name="users", add="1"),
    "web start": lambda c, t: _web_post(c, t, "/web/leads/40/move", action="start_progress"),
    "web lose": lambda c, t: _web_post(c, t, "/web/leads/40/move", action="lose", view="board"),
}
NEW_LEAD = {
    "contact_information": {"action": "NEW", "type": "PERSON", "last_name": "Lovelace"},
    "importance": "IMPORTANCE2",
    "priority": 2,
    "type_identifier": {"name": "New Customer"},
    "source": {"type": "WEBSITE", "name": "leadbook.example"},
    "estimated_completion_time": {"time_period_value": 3, "time_period_uot": "WEEKS"},
}


@pytest.mark.parametrize("write", READ_ONLY_WRITES)
def test_read_only_is_refused_every_write_on_every_face(client, db, people, write):
    before, leads = _state(db), _count(db)
    answer = READ_ONLY_WRITES[write](client, people["rita"])
    assert answer.status_code in (403, 422), answer.text
    assert "may only read leads" in answer.text
    assert (_state(db), _count(db)) == (before, leads)
