"""The floor: the least this stack (Starlette, async psycopg, PostgreSQL) needs to do the
work of each scenario, so Leadbook's figures read as a share of it.

One statement per request, the token check joined in. Show and list answer what Leadbook
answers, byte for byte (tests/test_bench_floor.py): PostgreSQL writes the complete lead
with the SQL Leadbook generates from its own description of it (``read.object_sql`` of
``complete.LEAD``), the values depending on the request's time are computed as Leadbook
computes them (``read.finish``), and orjson writes the CRM.COM envelope.

| scenario | statement |
|---|---|
| show | the token check and the complete lead (Leadbook's SQL over the lead named) |
| list | the token check and a page of complete leads (the type named resolved in it) |
| create | a new person and the lead for it (one INSERT … WITH, the number from the sequence) |
| update | ``UPDATE … SET description, version + 1 … RETURNING`` |

The administrator the bench logs in as sees every lead: no visibility rule is needed, only
the rule that merged leads are not shown. Connections are Leadbook's: statements prepared
at their first run, generic plans, no JIT (``leadbook.db``).

Served by ``bench/run.py`` as ``uvicorn floor:app --app-dir bench`` with
``FLOOR_DATABASE_URL`` (a psycopg URL) and the same workers as Leadbook.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from contextlib import asynccontextmanager

import orjson
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from leadbook.crmcom import complete
from leadbook.db import PLANS, PREPARE_THRESHOLD
from leadbook.domain import clock
from leadbook.readmodel import read

API = "/crmapi/rest/v2/leads/"
OK = {"code": "OK", "message": "", "description": ""}
TOKEN = """EXISTS (SELECT 1 FROM access_tokens a WHERE a.token_hash = %(token)s
  AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now() AT TIME ZONE 'UTC'))"""


# the complete lead over a lead row named ``read.ROW``, and a page of them in number order
# (% doubled: the statements' parameters are psycopg's %(name)s)
OBJECT = read.object_sql("postgresql", complete.LEAD, None).replace("%", "%%")
OBJECTS = read.object_sql("postgresql", complete.LEAD, ("number", False)).replace("%", "%%")
SHOW = f"""SELECT {TOKEN}, (SELECT {OBJECT} FROM leads {read.ROW}
  WHERE {read.ROW}.number = %(number)s AND {read.ROW}.merged_into_id IS NULL)"""
PAGE = f"""SELECT {TOKEN}, (SELECT {OBJECTS} FROM (SELECT * FROM leads l
  WHERE l.type_id = (SELECT id FROM lead_types WHERE name = %(type)s)
    AND l.priority = %(priority)s AND l.merged_into_id IS NULL
  ORDER BY l.number LIMIT %(limit)s OFFSET %(offset)s) {read.ROW})"""
CREATE = """WITH caller AS (SELECT a.user_id, a.unit_id FROM access_tokens a
    WHERE a.token_hash = %(token)s AND a.revoked_at IS NULL
    AND (a.expires_at IS NULL OR a.expires_at > now() AT TIME ZONE 'UTC')),
  contact AS (INSERT INTO contacts (id, number, type, life_cycle_state, last_name)
    SELECT %(contact_id)s, 'CI' || nextval('contact_numbers'), 'PERSON', 'MARKETING',
      %(last_name)s FROM caller RETURNING id)
INSERT INTO leads (id, number, version, life_cycle_state, type_id, status_id, category_id,
  importance, priority, start_date, expected_completion_date, estimated_time_value,
  estimated_time_uot, contact_id, source_type, source_name, assigned_user_id, created_date,
  updated_date, created_by_user_id, updated_by_user_id, created_by_unit_id, updated_by_unit_id)
SELECT %(id)s, nextval('lead_numbers'), 1, 'PENDING', t.id, t.create_status_id,
  t.default_category_id, %(importance)s, %(priority)s, now(), now() + interval '2 weeks',
  2, 'WEEKS', contact.id, 'WEBSITE', %(source)s, caller.user_id, now(), now(),
  caller.user_id, caller.user_id, caller.unit_id, caller.unit_id
FROM caller, contact, lead_types t WHERE t.name = %(type)s
RETURNING number::text"""
UPDATE = f"""UPDATE leads l SET description = %(description)s, version = l.version + 1,
  updated_date = now() WHERE l.number = %(number)s AND {TOKEN}
RETURNING l.number::text, l.version"""


@asynccontextmanager
async def lifespan(app: Starlette):
    url = os.environ["FLOOR_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    size = int(os.environ.get("FLOOR_POOL_SIZE", "10"))
    async with AsyncConnectionPool(
        url,
        min_size=size,
        max_size=size,
        kwargs={"autocommit": True, "prepare_threshold": PREPARE_THRESHOLD, "options": PLANS},
        open=False,
    ) as pool:
        app.state.pool = pool
        yield


def _hash(token: str | None) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _refused(code: str, status: int) -> Response:
    status_ = {"code": code, "message": code, "description": ""}
    return JSONResponse({"data": None, "status": status_}, status_code=status)


async def _one(request: Request, sql: str, params: dict) -> tuple | None:
    async with request.app.state.pool.connection() as conn:
        return await (await conn.execute(sql, params)).fetchone()


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def _ok(data: object) -> Response:
    return Response(orjson.dumps({"data": data, "status": OK}), media_type="application/json")


async def show(request: Request) -> Response:
    q = request.query_params
    number = int(q["lead_identifier"].partition("=")[2])
    now = clock.now()
    admitted, found = await _one(request, SHOW, {"number": number, "token": _hash(q.get("token"))})
    if not admitted:
        return _refused("INVALID_TOKEN", 401)
    if found is None:
        return _refused("NOT_FOUND", 404)
    return _ok(read.finish(orjson.loads(found), complete.LEAD, now))


async def page(request: Request) -> Response:
    q = request.query_params
    params = {
        "token": _hash(q.get("token")),
        "type": q["type_identifier"].partition("=")[2],
        "priority": int(q["priority"]),
        "offset": int(q.get("offset", 0)),
        "limit": int(q["number_of_results"]) if "number_of_results" in q else None,
    }
    now = clock.now()
    admitted, found = await _one(request, PAGE, params)
    if not admitted:
        return _refused("INVALID_TOKEN", 401)
    return _ok([read.finish(row, complete.LEAD, now) for row in orjson.loads(found)])


async def create(request: Request) -> Response:
    body = orjson.loads(await request.body())
    params = {
        "token": _hash(body.get("token")),
        "id": uuid.uuid4().hex.upper(),
        "contact_id": uuid.uuid4().hex.upper(),
        "last_name": body["contact_information"]["last_name"],
        "importance": body["importance"],
        "priority": body["priority"],
        "type": body["type_identifier"]["name"],
        "source": body["source"]["name"],
    }
    row = await _one(request, CREATE, params)
    if row is None:
        return _refused("INVALID_TOKEN", 401)
    return Response(orjson.dumps({"data": {"number": row[0]}}), media_type="application/json")


async def update(request: Request) -> Response:
    body = orjson.loads(await request.body())
    params = {
        "token": _hash(body.get("token")),
        "number": int(body["lead_identifier"]["number"]),
        "description": body["description"],
    }
    row = await _one(request, UPDATE, params)
    if row is None:
        return _refused("NOT_FOUND", 404)
    return Response(orjson.dumps({"data": {"number": row[0]}}), media_type="application/json")


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route(API + "show", show),
        Route(API + "list", page),
        Route(API + "create", create, methods=["POST"]),
        Route(API + "update", update, methods=["POST"]),
    ],
    lifespan=lifespan,
)
