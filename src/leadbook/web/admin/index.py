"""The admin area's index: each reference data section with its row count, the users,
the web API keys, and the other admin pages (web forms, webhooks)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbook.deps import DbSession
from leadbook.models import ApiKey, User
from leadbook.refdata import config
from leadbook.web.admin import fields, keys, refdata, users
from leadbook.web.admin.guard import Administrator
from leadbook.web.page import render

router = APIRouter(include_in_schema=False)


@router.get("/web/admin")
def admin_index(request: Request, actor: Administrator, db: Session = DbSession) -> HTMLResponse:
    """Shows what the admin area manages, with how many rows of each there are."""
    sections = [
        (name, title, db.scalar(select(func.count()).select_from(config.BY_NAME[name].model)))
        for name, title in fields.TITLES.items()
    ]
    live = select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))
    return render(
        request,
        "admin/index.html",
        sections=sections,
        users=db.scalar(select(func.count(User.id))),
        keys=db.scalar(live),
    )


for _part in (refdata, users, keys):
    router.include_router(_part.router)
