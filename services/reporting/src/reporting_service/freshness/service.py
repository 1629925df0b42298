"""Freshness from the projections' own bookkeeping and from the broker's offsets."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.metrics import TOPIC_LAG
from reporting_service.projections.models import ProjectionFreshness
from reporting_service.statistics.schemas import FreshnessRead, TopicFreshness
from reporting_service.worker import GROUP
from shared import clock
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.kafka import with_timeout

log = logging.getLogger(__name__)


async def topic_lag(bootstrap_servers: str, group: str, timeout_s: float) -> dict[str, int]:
    """Per topic: end offsets minus the group's committed offsets (uncommitted partitions count from 0)."""
    # A consumer in the group that never subscribes: it reads the group's committed offsets
    # (OffsetFetch) without joining the group, so it causes no rebalance.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        group_id=group,
        request_timeout_ms=int(timeout_s * 1000) + 1000,
    )
    try:
        await with_timeout(consumer.start(), timeout_s, "consumer start")
        await with_timeout(consumer.topics(), timeout_s, "topic metadata")
        partitions = [
            TopicPartition(topic, p) for topic in ALL_TOPICS for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        ends = await with_timeout(consumer.end_offsets(partitions), timeout_s, "end offsets")
        lag: dict[str, int] = dict.fromkeys(ALL_TOPICS, 0)
        for tp in partitions:
            committed = await with_timeout(consumer.committed(tp), timeout_s, "committed offset")
            lag[tp.topic] += max(ends.get(tp, 0) - (committed or 0), 0)
        return lag
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(consumer.stop(), timeout_s)


async def get_freshness(*, session: AsyncSession, bootstrap_servers: str, timeout_s: float) -> FreshnessRead:
    """Per topic: last applied time, newest event applied, events applied and the message lag."""
    rows = {r.topic: r for r in (await session.scalars(select(ProjectionFreshness))).all()}
    try:
        lags: dict[str, int] | None = await topic_lag(bootstrap_servers, GROUP, timeout_s)
    except Exception as exc:  # the figures stay useful without the broker
        log.warning("broker lag unavailable: %r", exc)
        lags = None
    now = clock.now()
    topics = []
    for topic in ALL_TOPICS:
        row = rows.get(topic)
        lag = lags.get(topic) if lags is not None else None
        if lag is not None:
            TOPIC_LAG.labels(topic).set(lag)
        topics.append(
            TopicFreshness(
                topic=topic,
                last_applied_at=row.last_applied_at if row else None,
                last_event_occurred_at=row.last_event_occurred_at if row else None,
                events_applied=row.events_applied if row else 0,
                lag_messages=lag,
                seconds_since_last_applied=(now - row.last_applied_at).total_seconds() if row else None,
            )
        )
    return FreshnessRead(consumer_group=GROUP, checked_at=now, topics=topics)
