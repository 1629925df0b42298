"""Admission control on the platform's app: past the requests it admits at once and the short line behind them,
a request gets a quick 503 problem+json with Retry-After; the admitted and queued ones are still answered, and the
probes answer whatever the load."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from shared.http.admission import AdmissionControlMiddleware
from shared.http.app import create_service_app
from shared.settings import ServiceSettings
from shared.testing.helpers import api_client, token, wait_for
from shared.testing.plugin import Stack

from .conftest import DATABASE


@dataclass
class Held:
    """An endpoint that holds each request until the test opens the gate."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    entered: int = 0

    def router(self) -> APIRouter:
        router = APIRouter(prefix="/api/v1")

        @router.get("/held")
        async def held() -> dict[str, int]:
            self.entered += 1
            await self.gate.wait()
            return {"entered": self.entered}

        return router


@dataclass
class Admission:
    app: FastAPI
    client: httpx.AsyncClient
    held: Held
    headers: dict[str, str]

    def get(self) -> asyncio.Task[httpx.Response]:
        """Send a held request in the background."""
        return asyncio.create_task(self.client.get("/api/v1/held", headers=self.headers))

    def middleware(self) -> AdmissionControlMiddleware:
        layer = self.app.middleware_stack
        while not isinstance(layer, AdmissionControlMiddleware):
            layer = layer.app  # type: ignore[union-attr]
        return layer


@contextlib.asynccontextmanager
async def _admission(stack: Stack, *, queued: int, wait_s: float) -> AsyncIterator[Admission]:
    """An app admitting two requests at once, with `queued` more waiting up to `wait_s`."""
    settings = ServiceSettings(
        service_name="admission-test",
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
        api_max_in_flight=2,
        api_max_queued=queued,
        api_admission_wait_s=wait_s,
    )
    held = Held()
    app = create_service_app(settings=settings, database=DATABASE, title="t", description="t", routers=[held.router()])
    async with api_client(app) as client:
        try:
            yield Admission(app, client, held, token(stack, ["city_admin"]))
        finally:
            held.gate.set()


async def _within(awaitable: Awaitable[httpx.Response], timeout_s: float = 20.0) -> httpx.Response:
    return await asyncio.wait_for(awaitable, timeout_s)


def _assert_overloaded(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "https://errors.safety.local/overloaded"


@pytest.fixture
async def full_line(stack: Stack) -> AsyncIterator[Admission]:
    async with _admission(stack, queued=1, wait_s=60.0) as admission:
        yield admission


@pytest.fixture
async def short_wait(stack: Stack) -> AsyncIterator[Admission]:
    async with _admission(stack, queued=10, wait_s=0.2) as admission:
        yield admission


async def test_a_request_past_the_full_line_gets_503_at_once_and_the_admitted_ones_succeed(
    full_line: Admission,
) -> None:
    admitted = [full_line.get(), full_line.get()]
    await wait_for(lambda: full_line.held.entered == 2)
    queued = full_line.get()
    await wait_for(lambda: full_line.middleware().queued == 1)

    # The line is full: answered now, while every admitted request is still held.
    _assert_overloaded(await _within(full_line.client.get("/api/v1/held", headers=full_line.headers)))
    assert (await _within(full_line.client.get("/healthz"))).status_code == 200
    assert full_line.held.entered == 2
    assert not queued.done()

    full_line.held.gate.set()
    responses = [await _within(task) for task in [*admitted, queued]]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert full_line.held.entered == 3
    assert full_line.middleware().queued == 0


async def test_a_request_that_waits_too_long_for_a_slot_gets_503_and_a_freed_slot_admits_the_next(
    short_wait: Admission,
) -> None:
    admitted = [short_wait.get(), short_wait.get()]
    await wait_for(lambda: short_wait.held.entered == 2)

    _assert_overloaded(await _within(short_wait.client.get("/api/v1/held", headers=short_wait.headers)))
    assert short_wait.held.entered == 2
    assert not any(task.done() for task in admitted)

    short_wait.held.gate.set()
    assert [(await _within(task)).status_code for task in admitted] == [200, 200]
    after = await _within(short_wait.client.get("/api/v1/held", headers=short_wait.headers))
    assert after.status_code == 200
    assert after.json() == {"entered": 3}
