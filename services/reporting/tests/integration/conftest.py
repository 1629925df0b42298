"""Reporting integration fixtures: migrated schema, a clean slate, a publisher to the real broker."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from reporting_service.config import ReportingSettings
from shared.contracts.envelope import EventEnvelope
from shared.contracts.registry import REGISTRY
from shared.testing.helpers import make_settings, migrate
from shared.testing.plugin import Stack

PROJECTION_TABLES = ("event_log", "aggregate_state", "stat_rollup_day", "stat_rollup_month", "stat_detail_day")


def plain_url(url: str) -> str:
    """asyncpg's form of the database URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def reporting_settings(stack: Stack) -> ReportingSettings:
    """Settings against the test stack with a short fetch wait."""
    return make_settings(ReportingSettings, stack, kafka_fetch_max_wait_ms=10, consumer_batch_size=200)


@pytest.fixture(scope="session")
async def reporting_db(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    """The migrated reporting schema and a raw connection to inspect it."""
    await migrate("reporting_service", stack.database_url)
    conn = await asyncpg.connect(plain_url(stack.database_url))
    yield conn
    await conn.close()


async def publish(stack: Stack, envelopes: Sequence[EventEnvelope]) -> None:
    """Send envelopes as the outbox relay would: topic of the payload class, key = aggregate id, headers."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", linger_ms=5)
    await producer.start()
    try:
        futures = []
        for e in envelopes:
            topic = REGISTRY.classes[(e.event_type, e.event_version)].topic
            futures.append(
                await producer.send(
                    topic, e.model_dump_json().encode(), key=e.aggregate_id.encode(), headers=e.headers()
                )
            )
        for f in futures:
            await f
    finally:
        await producer.stop()


def scramble(envelopes: Sequence[EventEnvelope], seed: int) -> list[EventEnvelope]:
    """Reverse the events of a third of the aggregates and deliver a tenth of all events twice."""
    rng = random.Random(seed)
    by_aggregate: dict[str, list[EventEnvelope]] = {}
    for e in envelopes:
        by_aggregate.setdefault(e.aggregate_id, []).append(e)
    reversed_ids = {a for a in by_aggregate if len(by_aggregate[a]) > 1 and rng.random() < 0.33}
    queues = {a: list(reversed(es)) if a in reversed_ids else list(es) for a, es in by_aggregate.items()}
    order = [e.aggregate_id for e in envelopes]
    out: list[EventEnvelope] = []
    for aggregate_id in order:
        e = queues[aggregate_id].pop(0)
        out.append(e)
        if rng.random() < 0.1:
            out.insert(rng.randrange(len(out) // 2, len(out) + 1), e)
    return out
