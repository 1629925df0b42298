"""Consumer runner: handle each event once (inbox) in batched transactions, commit offsets after
the database commit, dead-letter what keeps failing, skip what it does not know."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from aiokafka.structs import OffsetAndMetadata
from sqlalchemy import insert, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth.principal import system_principal
from shared.context import causation_id_var, correlation_id_var
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import REGISTRY, EventRegistry
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.messaging.kafka import BrokerTimeout, with_timeout
from shared.metrics import CONSUMER_EVENTS, CONSUMER_FAILURES, CONSUMER_LAG, CONSUMER_LAST_APPLIED
from shared.settings import ServiceSettings
from shared.tracing import consuming

log = logging.getLogger(__name__)
# How long a poll may outlast its own timeout before the runner gives up waiting for a rebalance.
POLL_GRACE_S = 1.0
# A consumer that has found nothing for this long rests between polls (see `consumer_idle_pause_ms`).
IDLE_AFTER_S = 2.0

Handler = Callable[[UnitOfWork, EventEnvelope, EventPayload], Awaitable[None]]
BatchHandler = Callable[[UnitOfWork, list[tuple[EventEnvelope, EventPayload]]], Awaitable[None]]
BatchHook = Callable[[AsyncSession, list[EventEnvelope]], Awaitable[None]]

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError, TimeoutError)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, TRANSIENT_ERRORS)


@dataclass(frozen=True)
class ConsumerSpec:
    """What one consumer group reads and how it handles each event type.

    `handlers` names the event types the group applies. A `batch_handler`, when given, receives all
    new events of a batch in order instead (for projections that write a batch with executemany).
    """

    group: str
    topics: Sequence[str]
    handlers: Mapping[str, Handler]
    batch_handler: BatchHandler | None = None


class _Record:
    """A consumed message with its parsed headers."""

    __slots__ = ("event_id", "event_type", "event_version", "headers", "raw")

    def __init__(self, raw: ConsumerRecord[bytes, bytes]) -> None:
        self.raw = raw
        self.headers = headers = {k: v.decode(errors="replace") for k, v in (raw.headers or ())}
        self.event_type = headers.get("event_type")
        self.event_id = headers.get("event_id")
        self.event_version = headers.get("event_version")


async def _poll(consumer: AIOKafkaConsumer, timeout_ms: int, max_records: int) -> list[ConsumerRecord[bytes, bytes]]:
    """getmany bounded in time: during a rebalance aiokafka waits for the new assignment without a
    timeout, and a runner must still notice that it was asked to stop."""
    try:
        batches = await asyncio.wait_for(
            consumer.getmany(timeout_ms=timeout_ms, max_records=max_records), timeout_ms / 1000 + POLL_GRACE_S
        )
    except TimeoutError:
        return []
    return [r for rs in batches.values() for r in rs]


def _behind(consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]) -> bool:
    """Whether a partition of these records had more in the broker, at the last fetch, than was read."""
    for tp, last in _last_offsets(records).items():
        highwater = consumer.highwater(tp)
        if highwater is not None and highwater > last + 1:
            return True
    return False


class _Revocations(ConsumerRebalanceListener):
    """Logs rebalances; offsets are committed after every batch, so nothing is pending."""

    def __init__(self, group: str) -> None:
        self.group = group

    async def on_partitions_revoked(self, revoked: Any) -> None:
        log.info("partitions revoked", extra={"group": self.group, "partitions": str(sorted(map(str, revoked)))})

    async def on_partitions_assigned(self, assigned: Any) -> None:
        log.info("partitions assigned", extra={"group": self.group, "partitions": str(sorted(map(str, assigned)))})


class ConsumerRunner:
    """Runs one consumer group against the service's database."""

    def __init__(
        self,
        *,
        spec: ConsumerSpec,
        sessionmaker: async_sessionmaker[AsyncSession],
        database: ServiceDatabase,
        settings: ServiceSettings,
        registry: EventRegistry = REGISTRY,
        after_batch: BatchHook | None = None,
    ) -> None:
        self.spec = spec
        self.sessionmaker = sessionmaker
        self.database = database
        self.settings = settings
        self.registry = registry
        self.after_batch = after_batch
        self.actor = system_principal(settings.service_name)
        self.consumer: AIOKafkaConsumer | None = None
        self._progress_at = time.monotonic()
        self.rests_taken = 0
        self._headers_of: dict[str | None, dict[str, str]] = {}
        inbox = database.inbox
        # One fixed statement for any batch size (a multi-row VALUES would be compiled per size).
        self._claim_statement = text(
            f"INSERT INTO {inbox.schema}.{inbox.name} (consumer, event_id, event_type) "
            "SELECT :consumer, e.id, e.type FROM unnest(CAST(:event_ids AS uuid[]), CAST(:event_types AS text[])) "
            "AS e(id, type) ON CONFLICT DO NOTHING RETURNING event_id"
        )

    def seconds_since_progress(self) -> float:
        """Seconds since the runner last came back from a poll (and applied what it got)."""
        return time.monotonic() - self._progress_at

    def _create_consumer(self) -> AIOKafkaConsumer:
        s = self.settings
        return AIOKafkaConsumer(
            bootstrap_servers=s.kafka_bootstrap_servers,
            group_id=self.spec.group,
            client_id=f"{s.service_name}-{self.spec.group}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=s.kafka_fetch_max_wait_ms,
            max_poll_records=s.consumer_batch_size,
            request_timeout_ms=int(s.kafka_request_timeout_s * 1000) + 30_000,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set; reconnects after broker failures."""
        while not stop.is_set():
            consumer = self._create_consumer()
            self.consumer = consumer
            try:
                await with_timeout(consumer.start(), self.settings.kafka_request_timeout_s * 3, "consumer start")
                consumer.subscribe(list(self.spec.topics), listener=_Revocations(self.spec.group))
                idle_since: float | None = None
                rests = 0
                while not stop.is_set():
                    # Back from a rest, one fetch tells whether anything arrived meanwhile.
                    records = await self._next_batch(consumer, just_one_fetch=rests > 0)
                    now = time.monotonic()
                    if records:
                        await self._process_and_commit(consumer, records)
                        idle_since, rests = None, 0
                    elif idle_since is None:
                        idle_since = now
                    elif self.settings.consumer_idle_pause_ms and now - idle_since > IDLE_AFTER_S:
                        # The longer the quiet, the longer the rest: up to four times the setting.
                        await self._rest(consumer, stop, self.settings.consumer_idle_pause_ms * 2 ** min(rests, 2))
                        rests += 1
                    self._progress_at = time.monotonic()
            except (KafkaError, BrokerTimeout, OSError):
                log.exception("consumer lost the broker; reconnecting", extra={"group": self.spec.group})
                await _sleep_unless(stop, 1.0)
            except Exception:
                # Nothing may end a consumer silently: log, count, and resume from the committed offsets.
                CONSUMER_FAILURES.labels(self.spec.group).inc()
                log.exception(
                    "consumer failed; restarting from the committed offsets", extra={"group": self.spec.group}
                )
                await _sleep_unless(stop, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(consumer.stop(), 10)
                self.consumer = None

    async def _rest(self, consumer: AIOKafkaConsumer, stop: asyncio.Event, pause_ms: int) -> None:
        """Stop fetching for a while: a broker whose fetch does not wake on new data (the embedded one) is
        otherwise asked every `kafka_fetch_max_wait_ms` by every idle consumer. Real Kafka long-polls instead."""
        self.rests_taken += 1
        partitions = consumer.assignment()
        consumer.pause(*partitions)
        try:
            await _sleep_unless(stop, pause_ms / 1000)
        finally:
            consumer.resume(*[tp for tp in partitions if tp in consumer.assignment()])

    async def _next_batch(
        self, consumer: AIOKafkaConsumer, *, just_one_fetch: bool = False
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """Wait for records, then, while the broker holds more than we have read, keep filling the batch
        for at most a short window: fewer, larger transactions under load, and no added wait for a
        consumer that has caught up."""
        size, fetch_wait_ms = self.settings.consumer_batch_size, self.settings.kafka_fetch_max_wait_ms
        records = await _poll(consumer, fetch_wait_ms * 2 if just_one_fetch else max(fetch_wait_ms * 4, 100), size)
        deadline = time.monotonic() + self.settings.consumer_batch_window_ms / 1000
        while (
            records
            and len(records) < size
            and _behind(consumer, records)
            and (remaining := deadline - time.monotonic()) > 0
        ):
            more = await _poll(consumer, max(min(int(remaining * 1000), fetch_wait_ms), 1), size - len(records))
            if not more:
                break
            records.extend(more)
        return records

    async def _process_and_commit(
        self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]
    ) -> None:
        try:
            await self.process(records)
        except Exception as exc:
            if not _is_transient(exc):
                raise
            log.warning("transient failure, re-reading the batch", extra={"group": self.spec.group})
            for tp, first in _first_offsets(records).items():
                consumer.seek(tp, first)
            await asyncio.sleep(1.0)
            return
        lasts = _last_offsets(records)
        offsets = {tp: OffsetAndMetadata(last + 1, "") for tp, last in lasts.items()}
        try:
            await with_timeout(consumer.commit(offsets), self.settings.kafka_request_timeout_s, "offset commit")
        except (CommitFailedError, IllegalStateError, BrokerTimeout) as exc:
            # The inbox makes the redelivery that follows a failed commit harmless.
            log.warning("offset commit failed: %s", exc, extra={"group": self.spec.group})
        for tp, last in lasts.items():
            highwater = consumer.highwater(tp)
            if highwater is not None:
                CONSUMER_LAG.labels(self.spec.group, tp.topic, str(tp.partition)).set(max(highwater - last - 1, 0))

    async def process(self, raw_records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """Apply a batch in one transaction; on a handler failure redo it message by message."""
        records = [_Record(r) for r in raw_records]
        try:
            outcomes = await self._apply_batch(records, isolate=False)
        except Exception as exc:
            if _is_transient(exc):
                raise
            log.info("batch failed, retrying message by message", extra={"group": self.spec.group})
            outcomes = await self._apply_batch(records, isolate=True)
        for outcome, count in outcomes.items():
            if count:
                CONSUMER_EVENTS.labels(self.spec.group, outcome).inc(count)
        if outcomes.get("applied"):
            CONSUMER_LAST_APPLIED.labels(self.spec.group).set(time.time())

    async def _apply_batch(self, records: list[_Record], *, isolate: bool) -> dict[str, int]:
        outcomes = {"applied": 0, "duplicate": 0, "skipped": 0, "dead_lettered": 0}
        self._headers_of = {r.event_id: r.headers for r in records}
        async with self.sessionmaker() as session, session.begin():
            known = [r for r in records if r.event_type in self.spec.handlers]
            outcomes["skipped"] = len(records) - len(known)
            if isolate:
                for record in known:
                    outcomes[await self._apply_isolated(session, record)] += 1
                return outcomes
            envelopes = [EventEnvelope.model_validate_json(r.raw.value or b"") for r in known]
            fresh = await self._claim(session, envelopes)
            outcomes["duplicate"] = len(envelopes) - len(fresh)
            decodable = [e for e in fresh if self.registry.knows(e.event_type, e.event_version)]
            outcomes["skipped"] += len(fresh) - len(decodable)
            await self._handle(session, decodable)
            outcomes["applied"] = len(decodable)
            # Inside the batch's transaction: a failing hook fails the batch, which is then redone
            # message by message, where the hook runs per message and a poison one is dead-lettered.
            if self.after_batch is not None and decodable:
                await self.after_batch(session, decodable)
        return outcomes

    async def _claim(self, session: AsyncSession, envelopes: list[EventEnvelope]) -> list[EventEnvelope]:
        """Insert the batch's event ids into the inbox; return the events not seen before, in order."""
        if not envelopes:
            return []
        inserted = set(
            (
                await session.execute(
                    self._claim_statement,
                    {
                        "consumer": self.spec.group,
                        "event_ids": [e.event_id for e in envelopes],
                        "event_types": [e.event_type for e in envelopes],
                    },
                )
            ).scalars()
        )
        fresh = []
        for envelope in envelopes:
            # A duplicate inside one batch is inserted once; only its first occurrence is fresh.
            if envelope.event_id in inserted:
                inserted.discard(envelope.event_id)
                fresh.append(envelope)
        return fresh

    async def _handle(self, session: AsyncSession, envelopes: list[EventEnvelope]) -> None:
        """Run the handlers of fresh events in one unit of work, in the order received."""
        if not envelopes:
            return
        uow = UnitOfWork(
            self.sessionmaker, self.database, source=self.settings.service_name, actor=self.actor, session=session
        )
        decoded = [(e, self.registry.decode(e)) for e in envelopes]
        if self.spec.batch_handler is not None:
            with consuming(f"batch of {len(decoded)}", self.spec.group, {}):
                await self.spec.batch_handler(uow, decoded)
        else:
            for envelope, payload in decoded:
                correlation = correlation_id_var.set(envelope.correlation_id)
                causation = causation_id_var.set(str(envelope.event_id))
                try:
                    with consuming(
                        envelope.event_type, self.spec.group, self._headers_of.get(str(envelope.event_id), {})
                    ):
                        await self.spec.handlers[envelope.event_type](uow, envelope, payload)
                finally:
                    correlation_id_var.reset(correlation)
                    causation_id_var.reset(causation)
        await uow.flush_events()

    async def _apply_one(self, session: AsyncSession, record: _Record) -> str:
        envelope = EventEnvelope.model_validate_json(record.raw.value or b"")
        if not await self._claim(session, [envelope]):
            return "duplicate"
        if not self.registry.knows(envelope.event_type, envelope.event_version):
            return "skipped"
        await self._handle(session, [envelope])
        if self.after_batch is not None:
            await self.after_batch(session, [envelope])
        return "applied"

    async def _apply_isolated(self, session: AsyncSession, record: _Record) -> str:
        error: Exception | None = None
        for attempt in range(1, self.settings.consumer_max_attempts + 1):
            try:
                async with session.begin_nested():
                    return await self._apply_one(session, record)
            except Exception as exc:
                if _is_transient(exc):
                    raise
                error = exc
                log.warning(
                    "handler failed (attempt %d of %d): %r",
                    attempt,
                    self.settings.consumer_max_attempts,
                    exc,
                    extra={"group": self.spec.group, "event_id": record.event_id},
                )
                await asyncio.sleep(self.settings.consumer_retry_backoff_s * attempt)
        await self._dead_letter(session, record, error)
        return "dead_lettered"

    async def _dead_letter(self, session: AsyncSession, record: _Record, error: Exception | None) -> None:
        raw = record.raw
        event_id = _uuid_or_none(record.event_id)
        async with session.begin_nested():
            await session.execute(
                insert(self.database.dead_letter).values(
                    consumer=self.spec.group,
                    event_id=event_id,
                    event_type=record.event_type,
                    topic=raw.topic,
                    partition=raw.partition,
                    offset=raw.offset,
                    key=raw.key.decode(errors="replace") if raw.key else None,
                    value=(raw.value or b"").decode(errors="replace"),
                    error=repr(error)[:4000],
                    attempts=self.settings.consumer_max_attempts,
                )
            )
            if event_id is not None:
                # Recorded as handled so a redelivery does not dead-letter it twice.
                await session.execute(
                    pg_insert(self.database.inbox)
                    .values(consumer=self.spec.group, event_id=event_id, event_type=record.event_type or "?")
                    .on_conflict_do_nothing()
                )


def _uuid_or_none(value: str | None) -> Any:
    import uuid

    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _first_offsets(records: Sequence[ConsumerRecord[bytes, bytes]]) -> dict[TopicPartition, int]:
    firsts: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        firsts[tp] = min(firsts.get(tp, r.offset), r.offset)
    return firsts


def _last_offsets(records: Sequence[ConsumerRecord[bytes, bytes]]) -> dict[TopicPartition, int]:
    lasts: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        lasts[tp] = max(lasts.get(tp, r.offset), r.offset)
    return lasts


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
