"""The HTTP platform on a real database: authentication, authorization, validation errors,
Idempotency-Key, audit entries, correlation ids and probes. Nothing is written on a rejected request."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.tokens import DEV_AUDIENCE, DEV_ISSUER
from shared.db.uow import UnitOfWork
from shared.http.app import Liveness, Readiness, create_service_app
from shared.http.dependencies import CurrentPrincipal, get_uow
from shared.settings import ServiceSettings
from shared.testing.helpers import api_client, token, wait_for
from shared.testing.plugin import Stack

from .conftest import COUNTER, DATABASE, Scenario


class CounterCreate(BaseModel):
    counter_id: str = Field(min_length=1, max_length=64)
    amount: int = Field(ge=0)


def _router(scenario: Scenario) -> APIRouter:
    router = APIRouter(prefix="/api/v1/counters")

    @router.post("", status_code=201)
    async def create_counter(
        body: CounterCreate,
        uow: UnitOfWork = Depends(get_uow),
        _: Principal = Depends(require_roles(Role.CITY_ADMIN)),
    ) -> dict[str, object]:
        async with uow:
            await uow.session.execute(
                COUNTER.insert().values(counter_id=body.counter_id, total=body.amount, aggregate_version=1)
            )
            uow.record(scenario.payload(**body.model_dump()), aggregate_id=body.counter_id, aggregate_version=1)
            await uow.commit()
        return {"counter_id": body.counter_id, "created": str(uuid.uuid4())}

    @router.get("/caller")
    async def caller(principal: CurrentPrincipal) -> dict[str, str]:
        return {"subject": principal.subject}

    return router


@pytest.fixture
async def client(stack: Stack, platform_engine: AsyncEngine, scenario: Scenario) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service_name="platform-test",
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
        max_body_bytes=4096,
    )
    app = create_service_app(
        settings=settings, database=DATABASE, title="t", description="t", routers=[_router(scenario)]
    )
    async with api_client(app) as http:
        yield http


async def _rows(engine: AsyncEngine, counter_id: str) -> tuple[int, int, int]:
    """Rows of the counter, of the outbox and of the audit trail that mention `counter_id`."""
    async with engine.connect() as conn:
        counters = await conn.scalar(
            select(func.count()).select_from(COUNTER).where(COUNTER.c.counter_id == counter_id)
        )
        outbox = await conn.scalar(
            select(func.count()).select_from(DATABASE.outbox).where(DATABASE.outbox.c.aggregate_id == counter_id)
        )
        audit = await conn.scalar(
            select(func.count())
            .select_from(DATABASE.audit)
            .where(DATABASE.audit.c.actions.op("@>")([{"aggregate_id": counter_id}]))
        )
    return int(counters or 0), int(outbox or 0), int(audit or 0)


def _forged(stack: Stack, **changes: object) -> str:
    now = int(time.time())
    claims = {"sub": "x", "roles": ["city_admin"], "iat": now, "exp": now + 60, "iss": DEV_ISSUER, "aud": DEV_AUDIENCE}
    claims.update(changes)
    return jwt.encode(claims, stack.signing_key, algorithm="HS256")


def _unsigned(claims: dict[str, object]) -> str:
    import base64
    import json

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


async def test_a_valid_write_commits_the_row_its_event_and_an_audit_entry(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine
) -> None:
    counter_id = f"ok-{uuid.uuid4().hex[:8]}"
    response = await client.post(
        "/api/v1/counters",
        json={"counter_id": counter_id, "amount": 3},
        headers={
            **token(stack, ["city_admin"], subject="官员甲"),
            "X-Correlation-ID": "corr-123",
            # Sent by the client itself, not by a trusted proxy: the audit keeps the peer's address.
            "X-Forwarded-For": "198.51.100.9",
        },
    )
    assert response.status_code == 201
    assert response.headers["x-correlation-id"] == "corr-123"
    assert await _rows(platform_engine, counter_id) == (1, 1, 1)
    async with platform_engine.connect() as conn:
        audit = (
            await conn.execute(
                select(DATABASE.audit).where(DATABASE.audit.c.actions.op("@>")([{"aggregate_id": counter_id}]))
            )
        ).one()
        payload = await conn.scalar(
            select(DATABASE.outbox.c.payload).where(DATABASE.outbox.c.aggregate_id == counter_id)
        )
    assert (audit.actor, audit.method, audit.path, audit.client_ip) == (
        "官员甲",
        "POST",
        "/api/v1/counters",
        "203.0.113.7",
    )
    assert audit.correlation_id == "corr-123"
    assert payload["correlation_id"] == "corr-123"
    assert payload["actor"] == "官员甲"


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-jwt",
        "tampered",
        "expired",
        "alg-none",
        "wrong-audience",
    ],
)
async def test_bad_credentials_get_401_and_change_nothing(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine, authorization: str | None
) -> None:
    counter_id = f"401-{uuid.uuid4().hex[:8]}"
    headers: dict[str, str] = {}
    if authorization == "tampered":
        good = _forged(stack)
        header, claims, signature = good.split(".")
        headers["Authorization"] = f"Bearer {header}.{claims}.{signature[:-4]}AAAA"
    elif authorization == "expired":
        headers["Authorization"] = f"Bearer {_forged(stack, exp=int(time.time()) - 10)}"
    elif authorization == "alg-none":
        headers["Authorization"] = f"Bearer {_unsigned({'sub': 'x', 'roles': ['city_admin'], 'exp': 9999999999})}"
    elif authorization == "wrong-audience":
        headers["Authorization"] = f"Bearer {_forged(stack, aud='someone-else')}"
    elif authorization is not None:
        headers["Authorization"] = authorization
    response = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 1}, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["status"] == 401
    assert await _rows(platform_engine, counter_id) == (0, 0, 0)


async def test_a_role_that_may_not_act_gets_403_and_changes_nothing(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine
) -> None:
    counter_id = f"403-{uuid.uuid4().hex[:8]}"
    response = await client.post(
        "/api/v1/counters", json={"counter_id": counter_id, "amount": 1}, headers=token(stack, ["leader"])
    )
    assert response.status_code == 403
    assert "city_admin" in response.json()["detail"]
    assert await _rows(platform_engine, counter_id) == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"counter_id": "x", "amount": ', "body"),
        (b'{"counter_id": "x", "amount": "three"}', "body.amount"),
        (b'{"counter_id": "x", "amount": -1}', "body.amount"),
        (b'{"amount": 1}', "body.counter_id"),
    ],
)
async def test_malformed_json_or_a_wrong_field_gets_422_naming_the_field(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine, body: bytes, field: str
) -> None:
    response = await client.post(
        "/api/v1/counters",
        content=body,
        headers={**token(stack, ["city_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert any(e["field"].startswith(field) for e in problem["errors"]), problem
    assert await _rows(platform_engine, "x") == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"counter_id": "nul\\u0000here", "amount": 1}', "body.counter_id"),
        (b'{"counter_id": "too-big", "amount": 9223372036854775808}', "body.amount"),
        (b'{"counter_id": "too-small", "amount": 1, "extra": [-9223372036854775809]}', "body.extra.0"),
    ],
)
async def test_input_no_column_can_hold_is_a_422_naming_the_field(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine, body: bytes, field: str
) -> None:
    response = await client.post(
        "/api/v1/counters", content=body, headers={**token(stack, ["city_admin"]), "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    async with platform_engine.connect() as conn:
        written = await conn.scalar(
            select(func.count())
            .select_from(COUNTER)
            .where(COUNTER.c.counter_id.like("nul%") | COUNTER.c.counter_id.in_(["too-big", "too-small"]))
        )
    assert written == 0


async def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client: httpx.AsyncClient, stack: Stack) -> None:
    response = await client.get("/api/v1/counters?campaign_code=a%00b", headers=token(stack, ["city_admin"]))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.campaign_code", "reason": "must not contain the NUL character (\\u0000)"}
    ]


async def test_an_oversized_body_gets_413(client: httpx.AsyncClient, stack: Stack) -> None:
    response = await client.post(
        "/api/v1/counters",
        content=b'{"counter_id": "' + b"x" * 5000 + b'", "amount": 1}',
        headers={**token(stack, ["city_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


async def test_an_oversized_chunked_body_gets_413_too(client: httpx.AsyncClient, stack: Stack) -> None:
    """No Content-Length to refuse up front: the limit is hit while the body streams in."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"counter_id": "'
        for _ in range(5):
            yield b"x" * 1000
        yield b'", "amount": 1}'

    for extra in ({}, {"Idempotency-Key": f"big-{uuid.uuid4().hex}"}):
        response = await client.post(
            "/api/v1/counters",
            content=chunks(),
            headers={**token(stack, ["city_admin"]), "Content-Type": "application/json", **extra},
        )
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_chunked_body_under_the_limit_is_read_whole(client: httpx.AsyncClient, stack: Stack) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"counter_id": "chunked-'
        yield uuid.uuid4().hex.encode()
        yield b'", "amount": 1}'

    response = await client.post(
        "/api/v1/counters",
        content=chunks(),
        headers={**token(stack, ["city_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 201


async def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_result_and_changes_nothing(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine
) -> None:
    counter_id = f"idem-{uuid.uuid4().hex[:8]}"
    headers = {**token(stack, ["city_admin"], subject="retrier"), "Idempotency-Key": f"key-{counter_id}"}
    first = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 2}, headers=headers)
    again = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 2}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await _rows(platform_engine, counter_id) == (1, 1, 1)

    different = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 9}, headers=headers)
    assert different.status_code == 422
    assert await _rows(platform_engine, counter_id) == (1, 1, 1)


async def test_an_idempotency_key_belongs_to_everything_the_caller_acts_as_not_to_its_subject_alone(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine
) -> None:
    """The same `sub` acting for township B does not replay what it did for township A."""
    key = f"shared-key-{uuid.uuid4().hex[:8]}"
    as_a = token(stack, ["city_admin"], subject="one-sub", jurisdictions=["431281101000"])
    as_b = token(stack, ["city_admin"], subject="one-sub", jurisdictions=["431281102000"])
    first_id, second_id = f"a-{key}", f"b-{key}"
    first = await client.post(
        "/api/v1/counters", json={"counter_id": first_id, "amount": 1}, headers={**as_a, "Idempotency-Key": key}
    )
    second = await client.post(
        "/api/v1/counters", json={"counter_id": second_id, "amount": 1}, headers={**as_b, "Idempotency-Key": key}
    )
    assert first.status_code == second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert await _rows(platform_engine, second_id) == (1, 1, 1)
    replay = await client.post(
        "/api/v1/counters", json={"counter_id": first_id, "amount": 1}, headers={**as_a, "Idempotency-Key": key}
    )
    assert replay.headers["idempotent-replayed"] == "true"
    assert await _rows(platform_engine, first_id) == (1, 1, 1)


async def test_the_gateways_request_id_is_the_correlation_id_and_every_request_is_logged(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from shared.logging import JsonFormatter

    counter_id = f"rid-{uuid.uuid4().hex[:8]}"
    with caplog.at_level(logging.INFO, logger="access"):
        response = await client.post(
            "/api/v1/counters",
            json={"counter_id": counter_id, "amount": 1},
            headers={**token(stack, ["city_admin"]), "X-Request-ID": "gw-req-42"},
        )
    assert response.status_code == 201
    assert response.headers["x-correlation-id"] == "gw-req-42"
    async with platform_engine.connect() as conn:
        payload = await conn.scalar(
            select(DATABASE.outbox.c.payload).where(DATABASE.outbox.c.aggregate_id == counter_id)
        )
    assert payload["correlation_id"] == "gw-req-42"
    entries = [r for r in caplog.records if r.name == "access"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.method, entry.route, entry.status) == ("POST", "/api/v1/counters", 201)  # type: ignore[attr-defined]
    assert entry.duration_ms >= 0  # type: ignore[attr-defined]
    assert '"status": 201' in JsonFormatter("t").format(entry)


@pytest.mark.parametrize(("roles", "status"), [([], 403), (["astronaut"], 403), (["leader"], 200)])
async def test_a_token_without_a_known_role_reads_nothing(
    client: httpx.AsyncClient, stack: Stack, roles: list[str], status: int
) -> None:
    response = await client.get("/api/v1/counters/caller", headers=token(stack, roles))
    assert response.status_code == status


async def test_an_answer_the_database_could_not_store_is_stored_once_it_is_back(
    client: httpx.AsyncClient, stack: Stack, platform_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write committed but storing its answer failed (the database went away in between): the answer is
    stored once the database is back, so a retry replays it instead of 'still being processed' forever."""
    from shared.http import idempotency

    real_store, failures = idempotency._store, [OSError("connection refused"), OSError("connection refused")]

    async def store_after_an_outage(*args: object) -> None:
        if failures:
            raise failures.pop()
        await real_store(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(idempotency, "_store", store_after_an_outage)
    monkeypatch.setattr(idempotency, "STORE_RETRY_S", 0.05)
    counter_id = f"lost-{uuid.uuid4().hex[:8]}"
    headers = {**token(stack, ["city_admin"], subject="lost-answer"), "Idempotency-Key": f"key-{counter_id}"}
    first = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 1}, headers=headers)
    assert first.status_code == 201

    async def replayed() -> bool:
        again = await client.post("/api/v1/counters", json={"counter_id": counter_id, "amount": 1}, headers=headers)
        return again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()

    await wait_for(replayed, timeout_s=30)
    assert await _rows(platform_engine, counter_id) == (1, 1, 1)


async def test_probes_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    # Both probes answer their declared models.
    assert Liveness.model_validate((await client.get("/healthz")).json()).status == "ok"
    assert Readiness.model_validate(ready.json()).status == "ready"
    metrics = (await client.get("/metrics")).text
    for name in ("http_request_duration_seconds", "outbox_backlog", "dead_letters"):
        assert name in metrics


async def test_an_unknown_route_is_a_problem_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unreachable_database_is_a_503_with_retry_after_not_a_500(stack: Stack, scenario: Scenario) -> None:
    from shared.embedded import free_port

    settings = ServiceSettings(
        service_name="platform-test",
        database_url=f"postgresql://nobody@127.0.0.1:{free_port()}/gone",
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
    )
    app = create_service_app(
        settings=settings, database=DATABASE, title="t", description="t", routers=[_router(scenario)]
    )
    async with api_client(app) as http:
        for _ in range(2):  # answered, not raised: the server keeps the client's connection
            response = await http.post(
                "/api/v1/counters", json={"counter_id": "db-down", "amount": 1}, headers=token(stack, ["city_admin"])
            )
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert int(response.headers["retry-after"]) > 0
            assert response.json()["type"].endswith("/service-unavailable")


async def test_a_services_own_readiness_check_can_fail_readyz(stack: Stack, scenario: Scenario) -> None:
    """A check passed to create_service_app adds its entries to /readyz; anything but "ok", or a check that
    raises, makes it a 503."""
    settings = ServiceSettings(
        service_name="platform-test",
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
    )
    answers = {"upstream:a": "ok"}

    async def upstream(_: FastAPI) -> dict[str, str]:
        return dict(answers)

    async def broken(_: FastAPI) -> dict[str, str]:
        raise RuntimeError("boom")

    for checks, status in (([upstream], 200), ([upstream, broken], 503)):
        app = create_service_app(
            settings=settings, database=DATABASE, title="t", description="t", routers=[], readiness=checks
        )
        async with api_client(app) as http:
            ready = await http.get("/readyz")
        assert ready.status_code == status
        assert ready.json()["checks"]["upstream:a"] == "ok"
    answers["upstream:a"] = "no answer for 20 min"
    app = create_service_app(
        settings=settings, database=DATABASE, title="t", description="t", routers=[], readiness=[upstream]
    )
    async with api_client(app) as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "upstream:a": "no answer for 20 min"}
    assert Readiness.model_validate(ready.json()).status == "not ready"
