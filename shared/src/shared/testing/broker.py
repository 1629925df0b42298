"""Broker helpers for integration tests: publish as another service's relay would, start a consumer group at
the topics' current ends, and wait until a group has applied everything published so far."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from shared.contracts.envelope import EventPayload, new_envelope
from shared.contracts.supervisor import EnterpriseRegisteredV1
from shared.testing.helpers import wait_for
from shared.testing.plugin import Stack
from shared.worker import Worker


async def publish_event(stack: Stack, payload: EventPayload, aggregate_id: str, aggregate_version: int = 1) -> None:
    """Publish an event of another service the way its relay would (topic of the payload, key = aggregate id)."""
    envelope = new_envelope(
        payload,
        source="test",
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
        actor="test",
        jurisdiction=None,
    )
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(
            payload.topic,
            value=envelope.model_dump_json().encode(),
            key=aggregate_id.encode(),
            headers=envelope.headers(),
        )
    finally:
        with contextlib.suppress(Exception):
            await producer.stop()


async def publish_enterprise_registered(stack: Stack, enterprise_id: str, **fields: Any) -> None:
    """Publish supervisor's enterprise.registered (what each service's enterprise read model keeps) for an operating
    enterprise with a well-formed credit code; `fields` give its name, township, industry and size."""
    registered = {"credit_code": "91431281MA4L000001", "status": "operating"} | fields
    await publish_event(stack, EnterpriseRegisteredV1(enterprise_id=enterprise_id, **registered), enterprise_id)


@contextlib.asynccontextmanager
async def _group_reader(stack: Stack, group: str, *topics: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer of the group; subscribed (joining the group) when topics are given, else only reading offsets."""
    consumer = AIOKafkaConsumer(
        *topics, bootstrap_servers=stack.bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        yield consumer
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()


def _partitions(consumer: AIOKafkaConsumer, topics: Sequence[str]) -> set[TopicPartition]:
    return {TopicPartition(topic, p) for topic in topics for p in consumer.partitions_for_topic(topic) or ()}


async def topic_ends(stack: Stack, topics: Sequence[str], *, timeout_s: float = 30.0) -> dict[TopicPartition, int]:
    """The offset after the last message of each partition of the topics, as it is now.

    Taken from the high watermark a fetch answers with: the embedded broker's listed end offsets (ListOffsets,
    `end_offsets()`) stop short of the end of a partition written in batches."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=stack.bootstrap_servers, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=20
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = _partitions(consumer, topics)
        consumer.assign(list(partitions))
        await consumer.seek_to_end(*partitions)  # a listed end is never past the real one

        async def known() -> dict[TopicPartition, int] | None:
            await consumer.getmany(timeout_ms=100, max_records=1)
            ends = {partition: consumer.highwater(partition) for partition in partitions}
            return None if None in ends.values() else {p: int(end or 0) for p, end in ends.items()}

        return dict(await wait_for(known, timeout_s=timeout_s, interval_s=0))
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()


async def start_group_at_end(stack: Stack, group: str, topics: Sequence[str], *, timeout_s: float = 120.0) -> None:
    """Commit a consumer group's offsets at the topics' current ends, so that its next members consume only what
    is published from now on. No other member of the group may be running: this one joins and takes every
    partition (the embedded broker accepts commits from group members only)."""
    ends = await topic_ends(stack, topics)
    async with _group_reader(stack, group, *topics) as consumer:

        async def committed_at_end() -> bool:
            # Polling lets the join finish; nothing fetched is processed or committed.
            await consumer.getmany(timeout_ms=100, max_records=1)
            if not set(ends) <= consumer.assignment():
                return False
            try:
                await consumer.commit(ends)
            except (CommitFailedError, KafkaError):
                return False  # a rebalance is still settling; the next round commits
            # Only what the broker reads back counts as committed.
            return all([await consumer.committed(partition) == end for partition, end in ends.items()])

        await wait_for(committed_at_end, timeout_s=timeout_s, interval_s=0.05)


async def wait_until_consumed(stack: Stack, group: str, topics: Sequence[str], *, timeout_s: float = 60.0) -> None:
    """Wait until a consumer group has committed every message published to the topics before this call; its
    consumers commit after their database transaction, so everything published so far has been applied."""
    ends = await topic_ends(stack, topics)
    async with _group_reader(stack, group) as consumer:

        async def caught_up() -> bool:
            for partition, end in ends.items():
                if end and (await consumer.committed(partition) or 0) < end:
                    return False
            return True

        await wait_for(caught_up, timeout_s=timeout_s, interval_s=0.1)


async def wait_until_worker_consumed(stack: Stack, worker: Worker, *, timeout_s: float = 60.0) -> None:
    """Wait until every consumer group of a running worker has applied what was published before this call."""
    for spec in worker.consumers:
        await wait_until_consumed(stack, spec.group, spec.topics, timeout_s=timeout_s)
