"""Liveness and readiness: ``/healthz`` says the process answers (nothing else is asked);
``/readyz`` says it can serve: the database answers and its schema is at the newest
migration, and every check registered in ``app.state.readiness_checks`` passes.

A check is a name and a function of a database connection returning None when all is well,
else what is wrong; the worker's heartbeat registers itself there when workers exist.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from leadbook.migrate import schema_problem

Check = Callable[[Connection], str | None]
OK = "ok"

router = APIRouter(include_in_schema=False)


def _database(conn: Connection) -> str | None:
    conn.execute(text("SELECT 1"))
    return None


def default_checks() -> dict[str, Check]:
    """The checks every instance makes: the database answers, its schema is at head."""
    return {"database": _database, "schema": schema_problem}


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive and answers (on the event loop: no thread is asked)."""
    return {"status": OK}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """200 when every check passes, else 503 naming what is wrong."""
    checks: dict[str, Check] = request.app.state.readiness_checks
    results: dict[str, str] = {}
    try:
        with request.app.state.sessionmaker() as session:
            conn = session.connection()
            for name, check in checks.items():
                results[name] = check(conn) or OK
    except SQLAlchemyError as exc:
        failed = next((n for n in checks if n not in results), "database")
        results[failed] = f"failed: {(str(exc).strip().splitlines() or [''])[0][:200]}"
    ready = len(results) == len(checks) and all(v == OK for v in results.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": results},
        status_code=200 if ready else 503,
        headers={} if ready else {"Retry-After": "5"},
    )
