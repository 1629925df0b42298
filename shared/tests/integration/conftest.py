"""A throwaway schema with the platform tables and a tiny projection, for delivery tests."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import REGISTRY
from shared.db.tables import ServiceDatabase, make_service_database
from shared.db.uow import UnitOfWork
from shared.messaging.kafka import ensure_topics
from shared.testing.plugin import Stack

SCHEMA = "platform_test"
_counter = itertools.count(1)


def _projection_tables(metadata: MetaData) -> tuple[Table, Table]:
    counter = Table(
        "counter",
        metadata,
        Column("counter_id", String(64), primary_key=True),
        Column("total", Integer, nullable=False),
        Column("aggregate_version", Integer, nullable=False),
    )
    application = Table(
        "application",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("counter_id", String(64), nullable=False),
    )
    return counter, application


DATABASE = make_service_database(SCHEMA)
COUNTER, APPLICATION = _projection_tables(DATABASE.metadata)


async def apply_counter(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """Projection with an aggregate_version guard; every application is logged to detect doubles."""
    data = payload.model_dump()
    if data["amount"] < 0:
        raise ValueError("negative amounts are poison")
    stmt = pg_insert(COUNTER).values(
        counter_id=data["counter_id"], total=data["amount"], aggregate_version=envelope.aggregate_version
    )
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[COUNTER.c.counter_id],
            set_={"total": COUNTER.c.total + stmt.excluded.total, "aggregate_version": stmt.excluded.aggregate_version},
            where=COUNTER.c.aggregate_version < stmt.excluded.aggregate_version,
        )
    )
    await uow.session.execute(APPLICATION.insert().values(event_id=envelope.event_id, counter_id=data["counter_id"]))


@dataclass
class Scenario:
    """One test's own topic, event type and payload class, so tests never see each other's events."""

    topic: str
    event_type: str
    payload: type[EventPayload]


@pytest.fixture(scope="session")
async def platform_engine(stack: Stack) -> AsyncIterator[AsyncEngine]:
    """An engine with the throwaway schema created from the platform's table factories."""
    engine = create_async_engine(stack.database_url, pool_size=10)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        await conn.run_sync(DATABASE.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(platform_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the throwaway schema."""
    return async_sessionmaker(platform_engine, expire_on_commit=False)


@pytest.fixture
def database() -> ServiceDatabase:
    """The throwaway schema's platform tables."""
    return DATABASE


@pytest.fixture
async def scenario(stack: Stack) -> Scenario:
    """A fresh topic and event type registered for this test only."""
    n = next(_counter)
    topic = f"platform.test.{n}"
    event_type = f"counter{n}.added"

    class CounterAddedV1(EventPayload):
        counter_id: str
        amount: int

    CounterAddedV1.event_type = event_type
    CounterAddedV1.event_version = 1
    CounterAddedV1.aggregate_type = "counter"
    CounterAddedV1.topic = topic
    REGISTRY.register(CounterAddedV1)
    await ensure_topics(stack.bootstrap_servers, [topic], partitions=3)
    return Scenario(topic=topic, event_type=event_type, payload=CounterAddedV1)
