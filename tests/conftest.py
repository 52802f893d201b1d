"""Shared fixtures: the real application over a test database, with each test's changes undone.

Each pytest-xdist worker builds the app once and makes its own databases (SQLite files, or
throw-away databases on the local PostgreSQL server, dropped at the end): an empty one and
one with the demo data. A test runs on one connection to the one it needs (``demo`` among its
fixtures, or not) inside a transaction rolled back at the end; the app's and ``db``'s sessions
join it, so their commits only release savepoints.

Each test gets fresh rate-limit counters (in memory); tests of the shared stores (the
database, Redis under a key prefix of their own) start servers of their own.

A test that asks for ``database_url``, ``settings`` or ``engine`` (or is marked
``committed_db``) gets a third database instead, with real commits other processes and
threads see, emptied after the test: CLI runs, served apps, concurrent writers.

``LEADBOOK_TEST_DB=postgres`` runs the suite against the local PostgreSQL server
(``LEADBOOK_TEST_PG_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from leadbook import migrate
from leadbook.app import create_app
from leadbook.auth import ratelimit
from leadbook.config import Settings, get_settings
from leadbook.db import make_engine, make_sessionmaker
from leadbook.domain import assignment, scoring
from leadbook.domain.actor import Actor
from leadbook.models import Base, User
from leadbook.refdata import demo as demo_data

BACKEND = os.environ.get("LEADBOOK_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "LEADBOOK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# new password hashes (the demo's, the fixtures') are cheap to make and check, here and in
# the subprocesses tests start
os.environ.setdefault("LEADBOOK_PASSWORD_HASH_COST", "cheapest")
# served apps run no webhook worker of their own unless a test asks (tests/events)
os.environ.setdefault("LEADBOOK_IN_PROCESS_WORKER", "off")
# an app started per test would collect and freeze the whole test process each time
os.environ.setdefault("LEADBOOK_GC_FREEZE", "off")
get_settings.cache_clear()
COMMITTING = {"database_url", "settings", "engine", "committed_db"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "committed_db: real commits on the committed test database, emptied after"
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``once`` check what the database does not change (a browser, a served
    process's signals and logs, documents): the PostgreSQL pass leaves them out."""
    if BACKEND != "postgres":
        return
    once = [item for item in items if item.get_closest_marker("once")]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not item.get_closest_marker("once")]


def _admin(statement: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def _new_database(tmp_path_factory, worker_id):
    """Returns a function making an empty database with the schema; drops them all at the end."""
    made: list[str] = []

    def new(label: str) -> str:
        if BACKEND == "postgres":
            name = f"leadbook_test_{worker_id}_{label}_{uuid.uuid4().hex[:8]}"
            _admin(f'CREATE DATABASE "{name}"')
            made.append(name)
            url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp(label) / 'leadbook.db'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        return url

    yield new
    for name in made:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _at_head(url: str) -> str:
    """Records the schema the models made as the newest migration's (test_migrations
    proves the two equal), so `serve` and /readyz take the database as migrated."""
    command.stamp(migrate.alembic_config(url), "head")
    return url


@pytest.fixture(scope="session")
def _snapshots(_new_database) -> Iterator[dict[bool, Engine]]:
    """This worker's two read-only databases, by whether they hold the demo data."""
    engines = {
        loaded: make_engine(_at_head(_new_database(f"demo{loaded:d}"))) for loaded in (False, True)
    }
    with Session(engines[True]) as session:
        demo_data.load(session, seed_tokens=True)
        session.commit()
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(_new_database) -> str:
    """The URL of the committed test database (see the module's docstring)."""
    return _at_head(_new_database("committed"))


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _commits(request) -> bool:
    return bool(COMMITTING & set(request.fixturenames)) or bool(
        request.node.get_closest_marker("committed_db")
    )


@pytest.fixture
def committed_db(engine) -> Engine:
    """Asks for real commits (see the module's docstring); the committed database's engine."""
    return engine


@pytest.fixture(autouse=True)
def _rules_forgotten() -> None:
    """Each test starts as a new process would: holding no scoring or assignment rules (a
    test's database goes back after it, rolled back or emptied, and its rules' generation
    with it, so another test's rules may come under the same generation)."""
    scoring._process.clear()
    assignment._process.clear()


@pytest.fixture(autouse=True)
def _empty_after(request) -> Iterator[None]:
    """Empties the committed database after each test that committed to it (whether or not
    it used a session of its own: a CLI run, a served process)."""
    engine = request.getfixturevalue("engine") if _commits(request) else None
    yield
    if engine is not None:
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def _bind(request) -> Iterator[Engine | Connection]:
    """What this test's sessions work on: the committed engine, emptied after the test, or a
    connection to a snapshot inside a transaction rolled back after it."""
    if _commits(request):
        yield request.getfixturevalue("engine")  # emptied by _empty_after
        return
    snapshot = request.getfixturevalue("_snapshots")["demo" in request.fixturenames]
    with snapshot.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def _sessions(_bind) -> sessionmaker[Session]:
    """The test's session factory; on a connection, commits release savepoints."""
    if isinstance(_bind, Engine):
        return make_sessionmaker(_bind)
    return sessionmaker(
        bind=_bind,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=True,
    )


@pytest.fixture
def _held() -> list[Session]:
    """The sessions the test itself holds (``db``)."""
    return []


@pytest.fixture
def sessions(_sessions, _held):
    """A session factory on the test's database, the app's. On a connection, the test's own
    sessions (``db``) end their transaction (a savepoint) first: it would enclose the new
    session's, and a later ``db.rollback()`` meant to see what it stored would undo it."""

    def new() -> Session:
        for session in _held:
            if session.in_transaction():
                session.commit()
        return _sessions()

    return _sessions if isinstance(_sessions.kw["bind"], Engine) else new


@pytest.fixture
def db(_sessions, _held) -> Iterator[Session]:
    """A session for tests that call the domain directly; committed at the end."""
    session = _sessions()
    _held.append(session)
    try:
        yield session
        session.commit()
    finally:
        session.close()


@pytest.fixture(scope="session")
def _worker_app():
    """The application, built once per worker; ``app`` points it at each test's database."""
    application = create_app(Settings(database_url="sqlite://"))
    application.state.engine.dispose()
    return application


@pytest.fixture
def app(_worker_app, _bind, sessions):
    """The application, its sessions on this test's database."""
    base = _worker_app.state
    saved = base.settings
    base.engine, base.sessionmaker = _bind, sessions
    _worker_app.dependency_overrides.clear()
    limiters = base.limiters
    base.limiters = ratelimit.Limiters(
        MemoryStorage(),
        per_minute=saved.rate_limit_per_minute,
        per_user=saved.login_failures_per_user,
        per_address=saved.login_failures_per_address,
    )
    yield _worker_app
    base.settings, base.limiters = saved, limiters
    base.engine = base.sessionmaker = None


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def demo(request, _bind, db) -> None:
    """Makes sure the demo data set (all the seed examples need) is there, as `leadbook demo`
    loads it: in the demo snapshot already, or loaded now."""
    if (
        isinstance(_bind, Connection)
        and _bind.engine is request.getfixturevalue("_snapshots")[True]
    ):
        return
    demo_data.load(db, seed_tokens=True)
    db.commit()


@pytest.fixture
def admin(db, demo) -> Actor:
    """The demo administrator, as the domain's actor: sees and may do everything."""
    user = db.scalar(select(User).where(User.username == demo_data.ADMIN))
    return Actor(user=user, unit=user.unit, via="test")


API = "/crmapi/rest/v2"


def log_in(client) -> str:
    """Returns a token from a real login as the demo administrator."""
    answer = client.post(
        f"{API}/authentication/token",
        json={
            "username": "mpadministrator",
            "password": "leadbook-demo",
            "organisation": "LEADBOOK",
        },
    ).json()
    assert answer["status"]["code"] == "OK", answer
    return answer["data"]["token"]


@pytest.fixture
def token(client, demo) -> str:
    """A token from a real login as the demo administrator."""
    return log_in(client)


class Api:
    """Calls CRM.COM methods the way the seeds do: GET with a query, POST with a body."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def get(self, method: str, **params):
        params.setdefault("token", self.token)
        return self.client.get(f"{API}/leads/{method}", params=params)

    def post(self, method: str, body: dict | None = None, **fields):
        payload = {"token": self.token, **(body or {}), **fields}
        return self.client.post(f"{API}/leads/{method}", json=payload)


@pytest.fixture
def api(client, token) -> Api:
    return Api(client, token)
