"""Under contention requests wait a bounded time, then get 503 with Retry-After in their
face's format; authentication and reads never wait for SQLite's write lock; an update
sent without a version is applied however many others write the lead at once."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from leadbook.app import create_app
from leadbook.config import Settings
from leadbook.db import make_engine, make_sessionmaker
from leadbook.domain import leads
from leadbook.domain.actor import Actor
from leadbook.domain.changes import LeadChanges
from leadbook.domain.errors import Conflict
from leadbook.models import Lead, LeadEvent, User
from tests.conftest import API, BACKEND
from tests.crmcom.conftest import SEED_TOKEN, refused
from tests.xmlapi.test_http import NEW as XML_LEAD

BEARER = {"Authorization": f"Bearer {SEED_TOKEN}"}


@pytest.fixture
def busy(app, database_url, demo):
    """The app on a committed database, waiting at most 0.3 s for a lock or a connection,
    with one pooled connection."""
    engine = make_engine(database_url, busy_timeout=0.3, pool_size=1)
    app.state.sessionmaker = make_sessionmaker(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def write_lock(busy, database_url, client):
    """Holds the lock a write of leads needs, as a long write of another process would:
    SQLite's write lock, PostgreSQL's EXCLUSIVE lock of the leads table (reads go on)."""
    if BACKEND == "sqlite":
        holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
        holder.close()
        return
    other = make_engine(database_url)
    with other.connect() as holder:
        holder.execute(text("LOCK TABLE leads IN EXCLUSIVE MODE"))
        yield
        holder.rollback()
    other.dispose()


def unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "1"


STALE = {"token": "F" * 32, "lead_identifier": {"number": "19"}, "priority": 3}


def test_a_login_with_a_wrong_password_never_waits_for_the_write_lock(client, write_lock):
    wrong = {"username": "mpadministrator", "password": "nope", "organisation": "LEADBOOK"}
    refused(client.post(f"{API}/authentication/token", json=wrong), "INVALID_TOKEN", 401)
    if BACKEND == "sqlite":  # PostgreSQL: a write's caller and lead are one locking read
        refused(client.post(f"{API}/leads/update", json=STALE), "INVALID_TOKEN", 401)


@pytest.mark.skipif(BACKEND != "postgres", reason="row locks: PostgreSQL's")
def test_a_write_by_a_refused_token_never_waits_for_the_leads_row(client, busy, database_url):
    """PostgreSQL reads a write's caller and its lead in one statement locking the lead's
    row: a refused token's read locks nothing, so it never waits for another writer's."""
    other = make_engine(database_url)
    with other.connect() as holder:
        holder.execute(text("SELECT id FROM leads WHERE number = 19 FOR UPDATE"))
        refused(client.post(f"{API}/leads/update", json=STALE), "INVALID_TOKEN", 401)
        held = {**STALE, "token": SEED_TOKEN}
        answer = client.post(f"{API}/leads/update", json=held)  # a live one waits, then 503
        unavailable(answer)
        holder.rollback()
    other.dispose()


def test_reads_go_on_while_the_write_lock_is_held(client, write_lock):
    # the first XML showing of these leads, their users, contacts and categories
    assert client.get("/leads/19.xml", headers=BEARER).status_code == 200
    listed = client.get("/leads.xml", params={"per_page": 250}, headers=BEARER)
    assert listed.status_code == 200 and listed.content.count(b"<lead>") > 10
    shown = client.get(
        f"{API}/leads/show", params={"token": SEED_TOKEN, "lead_identifier": "number=19"}
    )
    assert shown.json()["status"]["code"] == "OK"


def test_a_write_waiting_past_the_timeout_is_a_503_in_each_faces_format(client, write_lock):
    xml = client.post("/leads.xml", content=XML_LEAD, headers=BEARER)
    unavailable(xml)
    assert b"<error>The database is busy" in xml.content
    body = {"token": SEED_TOKEN, "lead_identifier": {"number": "19"}, "priority": 3}
    answer = client.post(f"{API}/leads/update", json=body)
    unavailable(answer)
    assert answer.json()["status"]["code"] == "SERVICE_UNAVAILABLE"


def test_the_write_is_stored_once_the_lock_is_free(client, busy, database_url):
    assert client.post("/leads.xml", content=XML_LEAD, headers=BEARER).status_code == 201


def test_no_free_connection_in_time_is_a_503_in_each_faces_format(client, busy):
    with busy.connect():  # the pool's only connection, taken
        answer = client.get(
            f"{API}/leads/show", params={"token": SEED_TOKEN, "lead_identifier": "number=19"}
        )
        unavailable(answer)
        assert answer.json()["status"]["code"] == "SERVICE_UNAVAILABLE"
        xml = client.get("/leads/19.xml", headers=BEARER)
        unavailable(xml)
        assert b"<error>The database is busy" in xml.content
    assert client.get("/leads/19.xml", headers=BEARER).status_code == 200


WRITERS, ROUNDS = 6, 4


@pytest.mark.committed_db  # each request its own connection: a shared one would interleave
def test_updates_without_a_version_all_land_under_contention(client, demo, db):
    def write(index: int) -> list[str]:
        codes = []
        for round_ in range(ROUNDS):
            body = {
                "token": SEED_TOKEN,
                "lead_identifier": {"number": "69"},
                "description": f"writer {index} round {round_}",
            }
            codes.append(client.post(f"{API}/leads/update", json=body).json()["status"]["code"])
        return codes

    with ThreadPoolExecutor(WRITERS) as pool:
        codes = [code for codes in pool.map(write, range(WRITERS)) for code in codes]
    assert codes == ["OK"] * WRITERS * ROUNDS
    db.expire_all()
    updates = db.scalar(
        select(func.count()).where(LeadEvent.lead_number == 69, LeadEvent.action == "update")
    )
    lead = db.scalar(select(Lead).where(Lead.number == 69))
    assert updates == WRITERS * ROUNDS and lead.version == 1 + WRITERS * ROUNDS


def test_an_update_without_a_version_of_a_lead_deleted_meanwhile_is_a_conflict(engine, demo):
    factory = make_sessionmaker(engine)
    with factory() as late, factory() as other:
        user = late.scalar(select(User).where(User.username == "mpadministrator"))
        lead = late.scalar(select(Lead).where(Lead.number == 69))
        doomed = other.scalar(select(Lead).where(Lead.number == 69))
        leads.delete(other, Actor(user=other.merge(user), unit=None), doomed)
        other.commit()
        with pytest.raises(Conflict):
            leads.update(late, Actor(user, user.unit), lead, LeadChanges(values={"priority": 3}))
        late.rollback()


def test_each_process_pools_the_connections_its_setting_gives(database_url):
    app = create_app(Settings(database_url=database_url, db_pool_size=3))
    try:
        pool = app.state.engine.pool
        assert (pool.size(), pool.timeout()) == (3, Settings().busy_timeout_seconds)
    finally:
        app.state.engine.dispose()
