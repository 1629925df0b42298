"""The FastAPI application every service builds on: middlewares, errors, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import func, select, text

from shared import clock
from shared.auth.tokens import verifier_from_settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.db.tables import ServiceDatabase
from shared.http.access import ensure_admitted
from shared.http.admission import AdmissionControlMiddleware
from shared.http.conditional import ConditionalGetMiddleware
from shared.http.cors import install_cors
from shared.http.docs import install_docs
from shared.http.idempotency import IdempotencyMiddleware
from shared.http.input_guard import InputGuardMiddleware
from shared.http.methods import AllowedMethodsMiddleware
from shared.http.middleware import BodySizeLimitMiddleware, CorrelationIdMiddleware, MetricsMiddleware
from shared.http.openapi import install_openapi
from shared.http.openapi_contract import install_contract, operation_id
from shared.http.problems import install_problem_handlers
from shared.http.query_guard import reject_unknown_query
from shared.messaging.kafka import broker_reachable
from shared.metrics import DEAD_LETTERS, OUTBOX_BACKLOG
from shared.outbox.relay import outbox_backlog
from shared.settings import ServiceSettings
from shared.tracing import TracingMiddleware, configure_tracing, tracing_enabled

StartupHook = Callable[[FastAPI], Awaitable[None]]
# A service's own readiness checks: names and "ok" or what is wrong (anything but "ok" fails /readyz).
ReadinessCheck = Callable[[FastAPI], Awaitable[dict[str, str]]]


class Liveness(BaseModel):
    """The answer of /healthz: the process serves requests."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """The answer of /readyz (503 when not ready): each check's name and "ok" or what is wrong."""

    # A pattern, not an enum: the documents' enums are the labelled vocabulary, and this is no user's word.
    status: str = Field(pattern="^(ready|not ready)$", description='"ready", or "not ready" with status 503')
    checks: dict[str, str]


def create_service_app(
    *,
    settings: ServiceSettings,
    database: ServiceDatabase,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    version: str = "1.0.0",
    on_startup: Sequence[StartupHook] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
    readiness: Sequence[ReadinessCheck] = (),
) -> FastAPI:
    """Build a service's API with the platform's middlewares, handlers and probes."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        clock.set_timezone(settings.timezone)
        configure_tracing(settings.service_name, settings.otel_exporter_otlp_endpoint, engine)
        app.state.settings = settings
        app.state.database = database
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        # Reads share the pool; autocommit spares each request a BEGIN and a ROLLBACK.
        app.state.read_sessionmaker = create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))
        app.state.token_verifier = verifier_from_settings(
            key_file=settings.auth_hs256_key_file,
            jwks_url=settings.auth_jwks_url,
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
        )
        for hook in on_startup:
            await hook(app)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        generate_unique_id_function=operation_id,
        docs_url=None,  # install_docs serves the pages with their own assets
        redoc_url=None,
        # Metrics are Prometheus (`MetricsMiddleware`) and logs carry the correlation id; FastAPI's own
        # OpenTelemetry hooks would otherwise look up three unconfigured providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_openapi(app)
    install_contract(app)
    install_docs(app)
    install_problem_handlers(app)
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(AllowedMethodsMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.api_max_in_flight:
        app.add_middleware(
            AdmissionControlMiddleware,
            max_in_flight=settings.api_max_in_flight,
            max_queued=settings.api_max_queued,
            max_wait_s=settings.api_admission_wait_s,
            retry_after_s=settings.api_retry_after_s,
        )
    app.add_middleware(MetricsMiddleware, service=settings.service_name)
    if configure_tracing(settings.service_name, settings.otel_exporter_otlp_endpoint) or tracing_enabled():
        app.add_middleware(TracingMiddleware)
    app.add_middleware(CorrelationIdMiddleware)
    install_cors(app, settings.cors_origins)
    app.include_router(_probes(settings, database, readiness))
    for router in routers:
        # Authentication and the route's roles come first: no 422 from a dependency before the caller is known.
        app.include_router(router, dependencies=[Depends(ensure_admitted), Depends(reject_unknown_query)])
    return app


def _probes(settings: ServiceSettings, database: ServiceDatabase, readiness: Sequence[ReadinessCheck]) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", response_model=Liveness, summary="Process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", response_model=Readiness, summary="Database and broker are reachable")
    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            async with request.app.state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}"
        ok = await broker_reachable(settings.kafka_bootstrap_servers)
        checks["broker"] = "ok" if ok else "unreachable"
        for check in readiness:
            try:
                checks.update(await check(request.app))
            except Exception as exc:
                checks[getattr(check, "__name__", "check")] = f"failed: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
        )

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        engine = request.app.state.engine
        OUTBOX_BACKLOG.labels(settings.service_name).set(await outbox_backlog(engine, database))
        dead = database.dead_letter
        async with engine.connect() as conn:
            unresolved = await conn.scalar(select(func.count()).select_from(dead).where(dead.c.resolved_at.is_(None)))
        DEAD_LETTERS.labels(settings.service_name).set(int(unresolved or 0))
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
