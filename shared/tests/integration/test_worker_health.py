"""A worker's /healthz fails when a consumer task has ended or stopped making progress."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.embedded import free_port
from shared.messaging.consumer import ConsumerSpec
from shared.settings import ServiceSettings
from shared.testing.helpers import wait_for
from shared.testing.plugin import Stack
from shared.worker import Worker
from shared.worker_probe import start_probe_server

from .conftest import DATABASE, Scenario, apply_counter


async def _probe(port: int, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
        return await http.get(path)


async def test_healthz_fails_when_a_consumer_ends_or_stalls(
    stack: Stack, platform_engine: AsyncEngine, scenario: Scenario
) -> None:
    settings = ServiceSettings(
        service_name="platform-test",
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        kafka_fetch_max_wait_ms=20,
        worker_stall_after_s=30,
    )
    spec = ConsumerSpec(
        group=f"health-{scenario.topic}", topics=[scenario.topic], handlers={scenario.event_type: apply_counter}
    )
    worker = Worker(settings=settings, database=DATABASE, consumers=[spec], relay=False, engine=platform_engine)
    port = free_port()
    server = await start_probe_server("127.0.0.1", port, worker.health)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:

        async def healthy() -> bool:
            response = await _probe(port, "/healthz")
            return response.status_code == 200 and f"consumer:{spec.group}" in response.json()["checks"]

        await wait_for(healthy, timeout_s=30)
        assert "consumer_events_total" in (await _probe(port, "/metrics")).text

        runner = worker.runners[0]
        runner._progress_at = time.monotonic() - 60  # as if its poll had hung for a minute
        stalled = await _probe(port, "/healthz")
        assert stalled.status_code == 503
        assert stalled.json()["checks"][f"consumer:{spec.group}"].startswith("no progress for")
        await wait_for(lambda: runner.seconds_since_progress() < 30, timeout_s=30)  # it polls again: healthy
        assert (await _probe(port, "/healthz")).status_code == 200

        consumer_task = next(t for t in worker._tasks if t.get_name() == f"consumer:{spec.group}")
        consumer_task.cancel()
        await wait_for(consumer_task.done, timeout_s=10)
        ended = await _probe(port, "/healthz")
        assert ended.status_code == 503
        assert ended.json()["checks"][f"consumer:{spec.group}"] == "ended"
    finally:
        stop.set()
        await asyncio.wait_for(running, 60)
        server.close()
