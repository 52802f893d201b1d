"""create_app(): one ASGI application mounting every face over one database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from leadbook import __version__, apidoc, dispatch, heap, readiness, refusals
from leadbook.auth import counters, ratelimit
from leadbook.config import Settings, get_settings
from leadbook.db import make_engine, make_sessionmaker
from leadbook.faces import Face
from leadbook.limits import Limits
from leadbook.observe import metrics
from leadbook.observe.requestlog import RequestLog
from leadbook.web.headers import SecurityHeaders
from leadbook.webhooks import health as webhook_health


def _faces() -> list[Face]:
    from leadbook.admin.routes import face as admin
    from leadbook.crmcom.routes import face as crmcom
    from leadbook.events.routes import face as events
    from leadbook.intake.routes import face as intake
    from leadbook.reports.routes import face as reports
    from leadbook.scores.routes import face as scores
    from leadbook.viewsapi.routes import face as views
    from leadbook.web.routes import face as web
    from leadbook.webhooks.routes import face as webhooks
    from leadbook.workflowapi.leads import face as workflow_leads
    from leadbook.workflowapi.notifications import face as notifications
    from leadbook.xmlapi.routes import face as xmlapi

    return [
        crmcom,
        xmlapi,
        events,
        scores,
        reports,
        webhooks,
        admin,
        web,
        intake,
        workflow_leads,
        notifications,
        views,
    ]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """A worker's life: its startup's objects frozen (``heap``), its metrics' end."""
    if app.state.settings.gc_freeze:
        heap.freeze()
    async with metrics.lifespan(app):
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the Leadbook application configured by ``settings``."""
    settings = settings or get_settings()
    engine = make_engine(
        settings.database_url,
        busy_timeout=settings.busy_timeout_seconds,
        pool_size=settings.db_pool_size,
    )
    app = FastAPIOffline(
        static_url="/docs-static",
        title="Leadbook",
        version=__version__,
        description="Lead management: the CRM.COM Leads API v2 and an XML resource API.",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.limiters = ratelimit.Limiters(
        counters.storage(settings.redis_url, settings.redis_prefix, engine),
        per_minute=settings.rate_limit_per_minute,
        per_user=settings.login_failures_per_user,
        per_address=settings.login_failures_per_address,
    )
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.readiness_checks = readiness.default_checks()
    webhook_health.install(app, settings)
    faces = _faces()
    for face in faces:
        app.include_router(face.router)
    app.add_middleware(
        Limits,
        max_body_bytes=settings.max_body_bytes,
        faces=faces,
    )
    app.add_middleware(SecurityHeaders)
    metrics.install(app, engine, settings.metrics_allowed_from)
    app.add_middleware(RequestLog)

    refusals.install(app, faces)
    apidoc.install(app, faces)
    app.include_router(readiness.router)
    dispatch.gate(app)
    return app
