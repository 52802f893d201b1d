"""How many SQL statements a CRM.COM request sends; a regression (a lazy load, a query per
lead, a write's extra round trip) fails here.

Reads: one statement that checks the token and reads the whole answer; an identifier
given as a filter is looked up first (its refusals name it).

Writes (token check included; the answer's read too: it comes before the writes made at
commit): real commits (no test savepoints in the count), exact, on both databases.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leadbook import models as m
from leadbook.auth import tokens
from tests.conftest import BACKEND
from tests.crmcom.conftest import ok, refused
from tests.crmcom.test_create import BASE
from tests.statements import count_statements

TOKEN_AND_READ = 1  # the token's check is joined into the read


def _reads(sent) -> list[str]:
    return [s for s in sent if "json" in s.lower()]


def test_show_is_the_token_and_one_statement(api):
    with count_statements() as sent:
        lead = ok(api.get("show", lead_identifier="number=116"))
    assert lead["number"] == "116" and lead["contact_information"]["id"]
    assert len(sent) == TOKEN_AND_READ, sent
    assert len(_reads(sent)) == 1 and "access_tokens" in sent[0]


def test_a_refused_token_is_refused_for_its_reason(api, client):
    with count_statements() as sent:
        answer = client.get(
            "/crmapi/rest/v2/leads/show",
            params={"token": "F" * 32, "lead_identifier": "number=116"},
        )
    assert answer.status_code == 401 and "not valid" in answer.json()["status"]["message"]
    assert len(sent) == 2, sent  # the joined read finds no caller; the token then says why


def test_a_missing_lead_costs_one_statement_more(api):
    with count_statements() as sent:
        refused(api.get("show", lead_identifier="number=999999"), "NOT_FOUND", 404)
    assert len(sent) == TOKEN_AND_READ + 1, sent  # + whether it was merged into another
    assert "merged_into_id IS NOT NULL" in sent[-1]


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("list", {"importance": "IMPORTANCE5"}),
        ("list", {"priority": "2", "number_of_results": "3", "offset": "1"}),
        ("get_pending", {}),
        ("get_in_progress", {"fields_set": "number,status"}),
        ("get_won_leads", {}),
        ("get_lost_leads", {}),
        ("get_cancelled", {}),
        ("get_overdue", {}),
        ("get_close_to_estimated_completion_time", {"period": "2", "uot": "MONTHS"}),
    ],
)
def test_a_page_is_the_token_and_one_statement(api, method, params):
    with count_statements() as sent:
        page = ok(api.get(method, **params))
    assert isinstance(page, list)
    assert len(sent) == TOKEN_AND_READ, sent
    assert len(_reads(sent)) == 1


def test_each_identifier_filter_adds_its_look_up(api):
    with count_statements() as sent:
        page = ok(api.get("list", type_identifier="name=Software Purchase", priority="2"))
    assert page and {lead["type"]["name"] for lead in page} == {"Software Purchase"}
    assert len(sent) == TOKEN_AND_READ + 1, sent


def test_a_user_with_a_clearance_costs_no_more(client, db, demo):
    level = db.scalars(select(m.PrivacyLevel)).first()
    unit = db.scalar(select(m.Unit).where(m.Unit.group_id.is_not(None)))
    user = m.User(username="cleared", role=m.Role.SALES, unit=unit, clearance=level)
    db.add(user)
    db.flush()
    token = tokens.issue(db, user, ttl_seconds=None)
    db.commit()
    with count_statements() as sent:
        ok(client.get("/crmapi/rest/v2/leads/get_pending", params={"token": token}))
        ok(
            client.get(
                "/crmapi/rest/v2/leads/show",
                params={"token": token, "lead_identifier": "number=40"},
            )
        )
    assert len(sent) == 2 * TOKEN_AND_READ, sent


# writes

EXISTING = {
    **BASE,
    "contact_information": {
        "action": "EXISTING",
        "contact_information_identifier": {"number": "CI000002"},
    },
}
# A write asked only for fields its lead's own row holds (``fields_set=number`` here,
# serialize.ROW_FIELDS) is answered from the row it wrote: no read (ANSWER); any other
# field costs the read model's one statement (test_a_write_asked_for_more_reads_its_answer).
# At commit, every write writes its audit events and change feed events (docs/events.md)
# with their positions (AT_COMMIT): one statement on PostgreSQL (the counter's move and
# the audit INSERT CTEs of the feed's INSERT); on SQLite, which has no writing CTEs, the
# audit INSERT, the counter's move, the feed's INSERT. A write reads no scoring rules
# (docs/scoring.md: cached per process under their generation, read with the token), and a
# create no assignment rules (cached under the same generation). A create starts the lead's
# first stay in a status (INSERT lead_stages: on PostgreSQL a CTE of the statement at
# commit, FIRST_STAY) and a move ends one and starts the next (UPDATE + INSERT … SELECT:
# STAY, docs/reports.md). A contact's or account's number is taken from its sequence and
# checked unused in one statement on PostgreSQL, in two on SQLite (CODE). A lead's number
# is taken by its INSERT on PostgreSQL (the sequence), by the counter's move just before
# it on SQLite (NUMBER). On SQLite a write's token is checked before the lead's locking
# read (which takes the database's one write lock: a refused token must not wait for it,
# writes.locks_rows): CALLER.
ANSWER = 0
CALLER = 0 if BACKEND == "postgres" else 1
AT_COMMIT = 1 if BACKEND == "postgres" else 3
NUMBER = 0 if BACKEND == "postgres" else 1
FIRST_STAY = 0 if BACKEND == "postgres" else 1
CODE = 0 if BACKEND == "postgres" else 1
STAY = 2
# a move: the token's caller and the lead (locked) in one statement, its type's status for
# the move, the UPDATE; lost also resolves its lost reason; this win also opens the
# contact's first account (the contact's accounts, the account's number checked unused
# (CODE), the contact's UPDATE to customer, the account's INSERT); the status it
# left is named in the feed from the lead as read
MOVED = CALLER + ANSWER + AT_COMMIT + STAY
MOVES = [
    ("start_progress", {}, 3 + MOVED),
    ("win", {}, 7 + CODE + MOVED),
    ("lost", {"lost_reason_identifier": {"name": "Price"}}, 4 + MOVED),
    ("cancel", {}, 3 + MOVED),
]


def _created(api, body=BASE) -> str:
    return ok(api.post("create", body, fields_set="number"))["number"]


@pytest.mark.committed_db
def test_a_create_sends_its_few_statements_and_locks_nothing(api):
    _created(api)  # the first create of a process loads what it caches
    # token, the lead type, the contact, its accounts, INSERT leads (the first stay: at
    # commit on PostgreSQL); a new contact is found by the duplicate check (one SELECT of
    # its candidates), gets its number (CODE), its XML number (INSERT external_ids,
    # migration 0007), its INSERT and its duplicate candidate's (the demo has a near
    # namesake), but no accounts to read: 3 more (+ CODE)
    creates = 5 + NUMBER + FIRST_STAY + ANSWER + AT_COMMIT
    for body, count in ((BASE, creates + 3 + CODE), (EXISTING, creates)):
        with count_statements() as sent:
            _created(api, body)
        assert len(sent) == count, str(sent)
        assert not [s for s in sent if "FOR UPDATE" in s.upper()], sent
        # nothing reads the sets of the lead just inserted, nor the assignment rules
        reads = ("lead_competitors", "lead_users", "assignment_rules")
        assert not [s for s in sent if any(table in s for table in reads)], sent
        inserts = [s.split()[2] for s in sent if s.upper().startswith("INSERT INTO")]
        if BACKEND == "postgres":
            assert "INSERT INTO lead_stages" in sent[-1], sent
        else:
            assert inserts.index("leads") < inserts.index("lead_stages"), sent
        assert "lead_events" in sent[-1 if BACKEND == "postgres" else -3], sent
        assert "feed_events" in sent[-1], sent
    if BACKEND == "postgres":  # the number is the INSERT's own
        assert not [s for s in sent if "lead_numbers" in s and "INSERT" not in s], sent


@pytest.mark.committed_db
@pytest.mark.parametrize("assignee", [None, "mariosm"])
def test_an_update_is_the_lead_locked_one_update_and_its_event(api, assignee):
    """Also of a lead assigned to another user: an assignee the update leaves alone is not
    loaded to be checked again."""
    assigned = {"assigned_to": {"user_identifier": {"username": assignee}}} if assignee else {}
    number = _created(api, {**BASE, **assigned})
    change = {"lead_identifier": {"number": number}, "description": "x", "fields_set": "number"}
    with count_statements() as sent:
        ok(api.post("update", change))
    writing = sent.writing()
    # the token's caller and the lead (locked) in one statement, UPDATE … WHERE version
    # RETURNING; the answer from the row written; the audit event and the feed event at
    # commit (PostgreSQL: one statement, so 3 statements in all)
    assert len(sent) == len(writing) == CALLER + 2 + ANSWER + AT_COMMIT, writing
    assert "access_tokens" in writing[0] and "FROM leads" in writing[CALLER], writing
    if BACKEND == "postgres":  # SQLite takes its write lock instead
        assert "FOR UPDATE OF leads" in writing[0], writing
    assert not [s for s in writing if "scoring_rules" in s], writing
    updated = writing[CALLER + 1]
    assert updated.startswith("UPDATE leads") and "RETURNING" in updated, writing
    assert "WHERE leads.id" in updated and "leads.version" in updated, writing


@pytest.mark.committed_db
def test_a_write_asked_for_more_reads_its_answer(api):
    """A field beyond the lead's own row (its status) costs the read model's one statement;
    the answer from the row is the one a read gives."""
    number = _created(api)
    asked = "number,description,priority,target_amount,start_date,expected_completion_date"
    change = {"lead_identifier": {"number": number}, "target_amount": 12.5, "fields_set": asked}
    with count_statements() as sent:
        from_row = ok(api.post("update", {**change, "description": "y"}))
    shown = ok(api.get("show", lead_identifier=f"number={number}"))
    assert from_row == {key: shown[key] for key in asked.split(",")}
    assert from_row["description"] == "y" and from_row["target_amount"] == 12.5
    with count_statements() as more:
        read = ok(
            api.post("update", {**change, "description": "z", "fields_set": asked + ",status"})
        )
    assert len(more) == len(sent) + 1, (list(sent), list(more))
    assert read == {**from_row, "description": "z", "status": shown["status"]}


def test_a_write_by_a_refused_token_is_refused_for_its_reason(api, client):
    """The joined read finds no caller; the token's own check then says why (the lead
    unchanged)."""
    body = {"token": "F" * 32, "lead_identifier": {"number": "116"}, "description": "x"}
    with count_statements() as sent:
        answer = client.post("/crmapi/rest/v2/leads/update", json=body)
    assert answer.status_code == 401 and "not valid" in answer.json()["status"]["message"]
    assert len(sent) == 2 - CALLER and not sent.writing(), sent
    shown = ok(api.get("show", lead_identifier="number=116"))
    assert shown["description"] != "x"


def test_a_write_of_a_missing_lead_says_so(api):
    body = {"lead_identifier": {"number": "999999"}, "description": "x"}
    refused(api.post("update", body), "NOT_FOUND", 404)


@pytest.mark.committed_db
def test_a_move_sends_its_few_statements(api):
    pending, started = _created(api), _created(api)
    ok(api.post("start_progress", {"lead_identifier": {"number": started}}))
    for move, extra, count in MOVES:
        number = started if move == "win" else pending
        if move == "cancel":
            number = _created(api)
        body = {"lead_identifier": {"number": number}, "fields_set": "number", **extra}
        with count_statements() as sent:
            ok(api.post(move, body))
        assert len(sent) == count, f"{move}\n{sent}"
