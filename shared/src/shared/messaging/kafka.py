"""aiokafka clients configured from settings, and topic administration."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from aiokafka import AIOKafkaClient, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from shared.settings import ServiceSettings

T = TypeVar("T")


class BrokerTimeout(Exception):
    """A broker call did not finish within its time limit."""


async def with_timeout(awaitable: Awaitable[T], seconds: float, what: str) -> T:
    """Await a broker call, failing with BrokerTimeout after `seconds`."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        raise BrokerTimeout(f"{what} did not finish within {seconds:.1f}s") from None


def create_producer(settings: ServiceSettings, *, client_id: str) -> AIOKafkaProducer:
    """A producer that waits for all in-sync replicas; idempotence where the broker supports it."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=int(settings.kafka_request_timeout_s * 1000),
    )


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[str], *, partitions: int = 4, timeout_s: float = 15.0
) -> None:
    """Create topics that do not exist yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=int(timeout_s * 1000))
    await with_timeout(admin.start(), timeout_s, "admin client start")
    try:
        existing = set(await with_timeout(admin.list_topics(), timeout_s, "list topics"))
        missing = [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await with_timeout(admin.create_topics(missing), timeout_s, "create topics")
    finally:
        await admin.close()


async def broker_reachable(bootstrap_servers: str, timeout_s: float = 2.0) -> bool:
    """Whether the broker answers a metadata request in time."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=int(timeout_s * 1000))
    try:
        await with_timeout(client.bootstrap(), timeout_s, "broker bootstrap")
        return True
    except Exception:
        return False
    finally:
        await client.close()
