"""Reporting integration fixtures: migrated schema, a clean slate, a publisher to the real broker.

The reporting figures are city-wide, so a module compares them with its own history only from a clean slate:
its fixture empties the reporting schema and starts the projections' consumer group at the topics' current
ends, so the events other suites published earlier in the session are never consumed."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from reporting_service.config import ReportingSettings
from reporting_service.db import DATABASE
from reporting_service.worker import GROUP
from shared.contracts.envelope import EventEnvelope
from shared.contracts.registry import REGISTRY
from shared.contracts.topics import ALL_TOPICS
from shared.testing.broker import start_group_at_end
from shared.testing.helpers import make_settings, migrate
from shared.testing.plugin import Stack


def plain_url(url: str) -> str:
    """asyncpg's form of the database URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def reporting_settings(stack: Stack) -> ReportingSettings:
    """Settings against the test stack with a short fetch wait."""
    return make_settings(ReportingSettings, stack, kafka_fetch_max_wait_ms=10, consumer_batch_size=200)


@pytest.fixture(scope="session")
async def reporting_db(stack: Stack) -> AsyncIterator[asyncpg.Pool]:
    """The migrated reporting schema and a small pool to inspect it (a query cut short by a timeout leaves no
    shared connection busy for the tests after it)."""
    await migrate("reporting_service", stack.database_url)
    pool = await asyncpg.create_pool(plain_url(stack.database_url), min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture(scope="module")
async def clean_slate(stack: Stack, reporting_db: asyncpg.Pool) -> None:
    """An empty reporting schema whose consumer group starts at the topics' current ends: the module's workers
    consume only the events the module publishes."""
    names = await reporting_db.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'alembic_version'", DATABASE.schema
    )
    await reporting_db.execute(f"TRUNCATE {', '.join(f'{DATABASE.schema}.{r[0]}' for r in names)}")
    await start_group_at_end(stack, GROUP, ALL_TOPICS)


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
