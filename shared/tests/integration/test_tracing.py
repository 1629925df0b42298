"""With tracing on, one trace runs from the caller's request through the outbox and the broker to the consumer."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi import APIRouter
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared import tracing
from shared.http.app import create_service_app
from shared.http.dependencies import UoW
from shared.messaging.consumer import ConsumerRunner, ConsumerSpec
from shared.messaging.kafka import create_producer
from shared.outbox.relay import OutboxRelay
from shared.settings import ServiceSettings
from shared.testing.helpers import api_client, token, wait_for
from shared.testing.plugin import Stack

from .conftest import APPLICATION, COUNTER, DATABASE, Scenario, apply_counter

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
EXPORTER = InMemorySpanExporter()


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch) -> InMemorySpanExporter:
    """Tracing on for this test only, into memory."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
    monkeypatch.setattr(tracing, "_enabled", True)
    EXPORTER.clear()
    return EXPORTER


def _router(scenario: Scenario) -> APIRouter:
    router = APIRouter(prefix="/api/v1/traced")

    @router.post("/{counter_id}", status_code=201)
    async def add(counter_id: str, uow: UoW) -> dict[str, str]:
        async with uow:
            await uow.session.execute(COUNTER.insert().values(counter_id=counter_id, total=1, aggregate_version=1))
            uow.record(scenario.payload(counter_id=counter_id, amount=1), aggregate_id=counter_id, aggregate_version=1)
            await uow.commit()
        return {"counter_id": counter_id}

    return router


async def test_one_trace_from_the_request_to_the_consumer(
    traced: InMemorySpanExporter,
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    scenario: Scenario,
) -> None:
    settings = ServiceSettings(
        service_name="platform-test",
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
        kafka_fetch_max_wait_ms=20,
    )
    counter_id = f"traced-{uuid.uuid4().hex[:8]}"
    app = create_service_app(
        settings=settings, database=DATABASE, title="t", description="t", routers=[_router(scenario)]
    )
    async with api_client(app) as http:
        response = await http.post(
            f"/api/v1/traced/{counter_id}",
            headers={**token(stack, ["city_admin"]), "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"},
        )
    assert response.status_code == 201
    server = [s for s in traced.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert [(format(s.context.trace_id, "032x"), s.name) for s in server] == [
        (TRACE_ID, "POST /api/v1/traced/{counter_id}")
    ]
    assert server[0].attributes["http.response.status_code"] == 201

    async with platform_engine.connect() as conn:
        headers = await conn.scalar(
            select(DATABASE.outbox.c.headers).where(DATABASE.outbox.c.aggregate_id == counter_id)
        )
    assert headers["traceparent"].split("-")[1] == TRACE_ID

    producer = create_producer(settings, client_id="trace-test")
    await producer.start()
    try:
        relay = OutboxRelay(engine=platform_engine, database=DATABASE, producer=producer, service="t")
        while await relay.publish_batch():
            pass
    finally:
        await producer.stop()
    runner = ConsumerRunner(
        spec=ConsumerSpec(
            group=f"trace-{counter_id}", topics=[scenario.topic], handlers={scenario.event_type: apply_counter}
        ),
        sessionmaker=sessionmaker,
        database=DATABASE,
        settings=settings,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:

        async def applied() -> bool:
            async with platform_engine.connect() as conn:
                count = await conn.scalar(
                    select(func.count()).select_from(APPLICATION).where(APPLICATION.c.counter_id == counter_id)
                )
            return count == 1

        await wait_for(applied, timeout_s=30)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    consumed = [s for s in traced.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert [(format(s.context.trace_id, "032x"), s.name) for s in consumed] == [
        (TRACE_ID, f"consume {scenario.event_type}")
    ]
