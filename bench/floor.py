"""The floor: the least this stack (Starlette, async psycopg, PostgreSQL) needs to do the
work of each scenario, so Leadbook's figures read as a share of it.

One statement per request, the token check joined in, PostgreSQL writing the JSON:

| scenario | statement |
|---|---|
| show | the complete lead (json_build_object, its sets with json_agg) |
| list | a page of 20 complete leads (type + priority, json_agg) |
| create | a new person and the lead for it (one INSERT … WITH, the number from the sequence) |
| update | ``UPDATE … SET description, version + 1 … RETURNING`` |

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

API = "/crmapi/rest/v2/leads/"
OK = b',"status":{"code":"OK","message":"","description":""}}'
TOKEN = """EXISTS (SELECT 1 FROM access_tokens a WHERE a.token_hash = %(token)s
  AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now() AT TIME ZONE 'UTC'))"""


def _obj(alias: str, *columns: str) -> str:
    """json_build_object of ``columns`` of the row ``alias`` (null when there is none)."""
    pairs = ", ".join(f"'{c}', {alias}.{c}" for c in columns)
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object({pairs}) END"


def _ref(table: str, key: str, *columns: str) -> str:
    """The row of ``table`` the lead's ``key`` points at, as an object."""
    return f"(SELECT {_obj('r', *columns)} FROM {table} r WHERE r.id = l.{key})"


USER = ("id", "username", "person_name", "email")
STATUS = ("id", "name", "alternative_code", "description", "life_cycle_state")
NAMED = ("id", "name", "alternative_code", "description")
UNIT = ("id", "name", "alternative_code", "description", "community_name")
CONTACT = (
    "'id', c.id, 'number', c.number, 'type', c.type, 'life_cycle_state', c.life_cycle_state,"
    " 'title', c.title, 'first_name', c.first_name, 'middle_name', c.middle_name,"
    " 'last_name', c.last_name, 'company_name', c.company_name,"
    " 'demographics', json_build_object('gender', c.gender, 'id_number', c.id_number,"
    " 'passport_number', c.passport_number, 'date_of_birth', json_build_object("
    "'day', c.birth_day, 'month', c.birth_month, 'year', c.birth_year))"
)
LEAD = f"""json_build_object(
  'id', l.id, 'number', l.number::text, 'life_cycle_state', l.life_cycle_state,
  'status', {_ref("lead_statuses", "status_id", *STATUS)},
  'type', {_ref("lead_types", "type_id", *NAMED)},
  'category', {_ref("lead_categories", "category_id", "id", "name", "code", "description")},
  'lost_reason', {_ref("lost_reasons", "lost_reason_id", *NAMED)},
  'importance', l.importance, 'priority', l.priority,
  'probability_to_win', l.probability_to_win, 'target_amount', l.target_amount,
  'description', l.description, 'contact_email', l.contact_email,
  'contact_phone', l.contact_phone,
  'start_date', to_char(l.start_date, 'YYYY-MM-DD"T"HH24:MI:SS'),
  'expected_completion_date', to_char(l.expected_completion_date, 'YYYY-MM-DD"T"HH24:MI:SS'),
  'actual_completion_date', to_char(l.actual_completion_date, 'YYYY-MM-DD"T"HH24:MI:SS'),
  'estimated_completion_time', json_build_object(
    'time_period_value', l.estimated_time_value, 'time_period_uot', l.estimated_time_uot),
  'contact_information', (SELECT json_build_object({CONTACT}) FROM contacts c
    WHERE c.id = l.contact_id),
  'accounts_receivable', (SELECT json_build_object('id', r.id, 'number', r.number,
    'name', r.name, 'life_cycle_state', r.life_cycle_state, 'account_owner',
    (SELECT json_build_object({CONTACT}) FROM contacts c WHERE c.id = r.owner_id))
    FROM accounts_receivable r WHERE r.id = l.accounts_receivable_id),
  'lead_source', json_build_object('type', l.source_type, 'name', l.source_name),
  'assigned_to', json_build_object('user', {_ref("users", "assigned_user_id", *USER)},
    'unit', {_ref("units", "assigned_unit_id", *UNIT)}),
  'owned_by_group', {_ref("groups", "owned_by_group_id", *UNIT)},
  'privacy_level', {_ref("privacy_levels", "privacy_level_id", "id", "number", "name")},
  'lead_owner', {_ref("users", "lead_owner_id", *USER)},
  'competitors_set', (SELECT coalesce(json_agg(json_build_object('id', s.id,
    'competitor', json_build_object('id', x.id, 'name', x.name)) ORDER BY s.position), '[]')
    FROM lead_competitors s JOIN competitors x ON x.id = s.competitor_id
    WHERE s.lead_id = l.id),
  'users_set', (SELECT coalesce(json_agg(json_build_object('id', s.id,
    'user', json_build_object('id', u.id, 'username', u.username)) ORDER BY s.position), '[]')
    FROM lead_users s JOIN users u ON u.id = s.user_id WHERE s.lead_id = l.id),
  'products_set', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'kind', s.kind)
    ORDER BY s.position), '[]') FROM lead_products s WHERE s.lead_id = l.id),
  'log_information', json_build_object(
    'created_date', to_char(l.created_date, 'YYYY-MM-DD"T"HH24:MI:SS'),
    'updated_date', to_char(l.updated_date, 'YYYY-MM-DD"T"HH24:MI:SS'),
    'created_by_user', {_ref("users", "created_by_user_id", *USER)},
    'updated_by_user', {_ref("users", "updated_by_user_id", *USER)},
    'created_by_unit', {_ref("units", "created_by_unit_id", *UNIT)},
    'updated_by_unit', {_ref("units", "updated_by_unit_id", *UNIT)}))"""
SHOW = f"SELECT {LEAD}::text FROM leads l WHERE l.number = %(number)s AND {TOKEN}"
PAGE = f"""SELECT {TOKEN}, (SELECT coalesce(json_agg(p.lead ORDER BY p.number), '[]')::text
  FROM (SELECT {LEAD} AS lead, l.number FROM leads l
    WHERE l.type_id = (SELECT id FROM lead_types WHERE name = %(type)s)
    AND l.priority = %(priority)s ORDER BY l.number LIMIT 20 OFFSET %(offset)s) p)"""
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
        url, min_size=size, max_size=size, kwargs={"autocommit": True}, open=False
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


async def show(request: Request) -> Response:
    q = request.query_params
    number = int(q["lead_identifier"].partition("=")[2])
    row = await _one(request, SHOW, {"number": number, "token": _hash(q.get("token"))})
    if row is None:
        return _refused("NOT_FOUND", 404)
    return Response(b'{"data":' + row[0].encode() + OK, media_type="application/json")


async def page(request: Request) -> Response:
    q = request.query_params
    params = {
        "token": _hash(q.get("token")),
        "type": q["type_identifier"].partition("=")[2],
        "priority": int(q["priority"]),
        "offset": int(q.get("offset", 0)),
    }
    row = await _one(request, PAGE, params)
    if row is None or not row[0]:
        return _refused("INVALID_TOKEN", 401)
    return Response(b'{"data":' + row[1].encode() + OK, media_type="application/json")


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
