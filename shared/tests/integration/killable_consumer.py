"""A consumer process for the SIGKILL test: applies counter events slowly so it can be killed mid-batch.

Usage: python killable_consumer.py DATABASE_URL BOOTSTRAP TOPIC EVENT_TYPE GROUP
"""

from __future__ import annotations

import asyncio
import sys

from conftest import DATABASE, apply_counter
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import REGISTRY
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import ConsumerRunner, ConsumerSpec
from shared.settings import ServiceSettings


async def slow_apply(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """Apply, then linger so a batch's transaction stays open long enough to be killed."""
    await apply_counter(uow, envelope, payload)
    await asyncio.sleep(0.02)


async def main(database_url: str, bootstrap: str, topic: str, event_type: str, group: str) -> None:
    class CounterAddedV1(EventPayload):
        counter_id: str
        amount: int

    CounterAddedV1.event_type, CounterAddedV1.event_version = event_type, 1
    CounterAddedV1.aggregate_type, CounterAddedV1.topic = "counter", topic
    REGISTRY.register(CounterAddedV1)
    settings = ServiceSettings(
        service_name="killable",
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        kafka_fetch_max_wait_ms=20,
        consumer_batch_size=40,
    )
    engine = create_async_engine(settings.database_url)
    runner = ConsumerRunner(
        spec=ConsumerSpec(group=group, topics=[topic], handlers={event_type: slow_apply}),
        sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
        database=DATABASE,
        settings=settings,
    )
    await runner.run(asyncio.Event())


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
