"""Delivery guarantees over the real PostgreSQL and the real broker: outbox order and key, duplicate
publication applied once, unknown events skipped, poison messages dead-lettered, stale versions ignored."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.auth.principal import Principal, Role
from shared.contracts.envelope import EventEnvelope, EventPayload, new_envelope
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import ConsumerRunner, ConsumerSpec
from shared.messaging.kafka import create_producer
from shared.outbox.relay import OutboxRelay, claim_oldest_unpublished, claim_statement, oldest_first
from shared.settings import ServiceSettings
from shared.testing.broker import wait_until_consumed
from shared.testing.helpers import wait_for
from shared.testing.plugin import Stack

from .conftest import APPLICATION, COUNTER, Scenario, apply_counter

ACTOR = Principal(subject="tester", roles=frozenset({Role.CITY_ADMIN}))


def _settings(stack: Stack, **overrides: object) -> ServiceSettings:
    values: dict[str, object] = {
        "service_name": "platform-test",
        "database_url": stack.database_url,
        "kafka_bootstrap_servers": stack.bootstrap_servers,
        "kafka_fetch_max_wait_ms": 20,
        "consumer_max_attempts": 3,
        "consumer_retry_backoff_s": 0.01,
    }
    values.update(overrides)
    return ServiceSettings(**values)  # type: ignore[arg-type]


def _runner(
    stack: Stack,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    *,
    group: str | None = None,
    **settings: object,
) -> ConsumerRunner:
    """A consumer of the scenario's topic with the counter projection."""
    return ConsumerRunner(
        spec=ConsumerSpec(
            group=group or f"g-{uuid.uuid4().hex[:6]}",
            topics=[scenario.topic],
            handlers={scenario.event_type: apply_counter},
        ),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack, **settings),
    )


async def _write_events(
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    counter_id: str,
    amounts: list[int],
) -> list[EventEnvelope]:
    """One committed transaction per event, versions 1..n, as a use case would write them."""
    written = []
    for version, amount in enumerate(amounts, start=1):
        uow = UnitOfWork(sessionmaker, database, source="platform-test", actor=ACTOR)
        async with uow:
            written.append(
                uow.record(
                    scenario.payload(counter_id=counter_id, amount=amount),
                    aggregate_id=counter_id,
                    aggregate_version=version,
                )
            )
            await uow.commit()
    return written


async def _publish_all(relay: OutboxRelay) -> int:
    total = 0
    while published := await relay.publish_batch():
        total += published
    return total


async def _read_all(stack: Stack, topic: str, expected: int, timeout_s: float = 20.0) -> list[object]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=stack.bootstrap_servers, auto_offset_reset="earliest", fetch_max_wait_ms=20
    )
    await consumer.start()
    records: list[object] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < expected:
                for batch in (await consumer.getmany(timeout_ms=200)).values():
                    records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def _run_consumer(runner: ConsumerRunner, until: object, timeout_s: float = 30.0) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await wait_for(until, timeout_s=timeout_s)  # type: ignore[arg-type]
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def _count(engine: AsyncEngine, stmt: object) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(stmt) or 0)  # type: ignore[call-overload]


@pytest.fixture
async def producer(stack: Stack) -> object:
    producer = create_producer(_settings(stack), client_id="platform-test")
    await producer.start()
    yield producer
    await producer.stop()


async def test_outbox_events_leave_in_commit_order_per_aggregate_with_the_aggregate_id_as_key(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    aggregates = [f"agg-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    for counter_id in aggregates:
        await _write_events(sessionmaker, database, scenario, counter_id, [1, 2, 3, 4, 5])
    relay = OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t", batch_size=7)
    assert await _publish_all(relay) >= 20

    records = await _read_all(stack, scenario.topic, expected=20)
    by_key: dict[str, list[int]] = {}
    for record in records:
        value = json.loads(record.value)  # type: ignore[attr-defined]
        assert record.key.decode() == value["aggregate_id"]  # type: ignore[attr-defined]
        headers = dict(record.headers)  # type: ignore[attr-defined]
        assert headers["event_type"].decode() == scenario.event_type
        assert headers["event_id"].decode() == value["event_id"]
        by_key.setdefault(value["aggregate_id"], []).append(value["aggregate_version"])
    assert {k: by_key[k] for k in aggregates} == {k: [1, 2, 3, 4, 5] for k in aggregates}
    unpublished = await _count(
        platform_engine,
        select(func.count()).select_from(database.outbox).where(database.outbox.c.published_at.is_(None)),
    )
    assert unpublished == 0


async def test_a_relay_crash_after_sending_publishes_twice_and_the_consumer_applies_once(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter_id = f"crash-{uuid.uuid4().hex[:8]}"
    [event] = await _write_events(sessionmaker, database, scenario, counter_id, [7])
    relay = OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t")

    async def crash(*_: object) -> None:
        raise RuntimeError("relay died between send and mark")

    with monkeypatch.context() as patch:
        patch.setattr(relay, "_mark_published", crash)
        with pytest.raises(RuntimeError):
            await relay.publish_batch()
    await _publish_all(relay)
    records = await _read_all(stack, scenario.topic, expected=2)
    assert [json.loads(r.value)["event_id"] for r in records] == [str(event.event_id)] * 2  # type: ignore[attr-defined]

    runner = ConsumerRunner(
        spec=ConsumerSpec(
            group=f"g-{uuid.uuid4().hex[:6]}", topics=[scenario.topic], handlers={scenario.event_type: apply_counter}
        ),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack),
    )
    applied = select(func.count()).select_from(APPLICATION).where(APPLICATION.c.counter_id == counter_id)
    inbox = select(func.count()).select_from(database.inbox).where(database.inbox.c.event_id == event.event_id)

    async def both_seen() -> bool:
        return await _count(platform_engine, inbox) == 1 and runner.consumer is not None and await _caught_up(runner)

    await _run_consumer(runner, both_seen)
    assert await _count(platform_engine, applied) == 1
    async with platform_engine.connect() as conn:
        assert await conn.scalar(select(COUNTER.c.total).where(COUNTER.c.counter_id == counter_id)) == 7


async def _caught_up(runner: ConsumerRunner) -> bool:
    consumer = runner.consumer
    if consumer is None or not consumer.assignment():
        return False
    for tp in consumer.assignment():
        highwater = consumer.highwater(tp)
        committed = await consumer.committed(tp)
        if highwater is None or (committed or 0) < highwater:
            return False
    return True


async def test_an_unknown_event_type_is_skipped_and_its_offset_committed(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    key = f"unknown-{uuid.uuid4().hex[:8]}".encode()
    metadata = await producer.send_and_wait(
        scenario.topic,
        value=b'{"not": "for you"}',
        key=key,
        headers=[
            ("event_type", b"somebody.elses_event"),
            ("event_id", str(uuid.uuid4()).encode()),
            ("event_version", b"1"),
        ],
    )
    group = f"g-{uuid.uuid4().hex[:6]}"
    runner = ConsumerRunner(
        spec=ConsumerSpec(group=group, topics=[scenario.topic], handlers={scenario.event_type: apply_counter}),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack),
    )

    async def committed_past_it() -> bool:
        consumer = runner.consumer
        if consumer is None:
            return False
        tp = TopicPartition(scenario.topic, metadata.partition)
        committed = await consumer.committed(tp) if tp in consumer.assignment() else None
        return committed is not None and committed > metadata.offset

    await _run_consumer(runner, committed_past_it)
    assert (
        await _count(
            platform_engine,
            select(func.count()).select_from(database.dead_letter).where(database.dead_letter.c.consumer == group),
        )
        == 0
    )


async def test_a_message_that_always_fails_is_dead_lettered_and_the_partition_moves_on(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    counter_id = f"poison-{uuid.uuid4().hex[:8]}"
    poison, healthy = await _write_events(sessionmaker, database, scenario, counter_id, [-1, 5])
    await _publish_all(OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t"))
    group = f"g-{uuid.uuid4().hex[:6]}"
    runner = ConsumerRunner(
        spec=ConsumerSpec(group=group, topics=[scenario.topic], handlers={scenario.event_type: apply_counter}),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack, consumer_max_attempts=4),
    )
    applied_after = select(func.count()).select_from(APPLICATION).where(APPLICATION.c.event_id == healthy.event_id)

    async def healthy_applied() -> bool:
        return await _count(platform_engine, applied_after) == 1

    await _run_consumer(runner, healthy_applied)
    async with platform_engine.connect() as conn:
        row = (await conn.execute(select(database.dead_letter).where(database.dead_letter.c.consumer == group))).one()
    assert row.event_id == poison.event_id
    assert row.attempts == 4
    assert "poison" in row.error


async def test_a_stale_aggregate_version_does_not_roll_the_projection_back(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    counter_id = f"stale-{uuid.uuid4().hex[:8]}"
    newer = new_envelope(
        scenario.payload(counter_id=counter_id, amount=10),
        source="t",
        aggregate_id=counter_id,
        aggregate_version=2,
        actor=None,
        jurisdiction=None,
    )
    older = new_envelope(
        scenario.payload(counter_id=counter_id, amount=1),
        source="t",
        aggregate_id=counter_id,
        aggregate_version=1,
        actor=None,
        jurisdiction=None,
    )
    for envelope in (newer, older):
        await producer.send_and_wait(
            scenario.topic,
            value=envelope.model_dump_json().encode(),
            key=counter_id.encode(),
            headers=envelope.headers(),
        )
    runner = ConsumerRunner(
        spec=ConsumerSpec(
            group=f"g-{uuid.uuid4().hex[:6]}", topics=[scenario.topic], handlers={scenario.event_type: apply_counter}
        ),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack),
    )
    inbox = (
        select(func.count())
        .select_from(database.inbox)
        .where(database.inbox.c.event_id.in_([newer.event_id, older.event_id]))
    )

    async def both_handled() -> bool:
        return await _count(platform_engine, inbox) == 2

    await _run_consumer(runner, both_handled)
    async with platform_engine.connect() as conn:
        row = (await conn.execute(select(COUNTER).where(COUNTER.c.counter_id == counter_id))).one()
    assert (row.total, row.aggregate_version) == (10, 2)


async def test_a_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    import os
    import signal
    import sys
    from pathlib import Path

    total = 400
    prefix = f"kill-{uuid.uuid4().hex[:6]}"
    for i in range(0, total, 4):
        await _write_events(sessionmaker, database, scenario, f"{prefix}-{i}", [1, 1, 1, 1])
    await _publish_all(OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t"))
    group = f"g-{uuid.uuid4().hex[:6]}"
    applied = select(func.count()).select_from(APPLICATION).where(APPLICATION.c.counter_id.startswith(prefix))
    script = Path(__file__).with_name("killable_consumer.py")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        stack.database_url,
        stack.bootstrap_servers,
        scenario.topic,
        scenario.event_type,
        group,
        env={**os.environ, "PYTHONPATH": str(script.parent)},
    )
    try:
        await wait_for(lambda: _partly(platform_engine, applied, total), timeout_s=60)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    applied_before_restart = await _count(platform_engine, applied)
    assert 0 < applied_before_restart < total

    runner = ConsumerRunner(
        spec=ConsumerSpec(group=group, topics=[scenario.topic], handlers={scenario.event_type: apply_counter}),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack),
    )

    async def caught_up() -> bool:
        # Every message consumed and committed, the redelivered ones of the killed batch included.
        await wait_until_consumed(stack, group, [scenario.topic], timeout_s=90)
        return True

    await _run_consumer(runner, caught_up, timeout_s=90)
    async with platform_engine.connect() as conn:
        rows = (
            await conn.execute(select(APPLICATION.c.event_id).where(APPLICATION.c.counter_id.startswith(prefix)))
        ).all()
        totals = (
            await conn.execute(select(func.sum(COUNTER.c.total)).where(COUNTER.c.counter_id.startswith(prefix)))
        ).scalar()
    assert len(rows) == total
    assert len({r.event_id for r in rows}) == total
    assert totals == total


async def _partly(engine: AsyncEngine, stmt: object, total: int) -> bool:
    count = await _count(engine, stmt)
    return 40 <= count < total - 40


async def test_a_batch_handler_sees_each_new_event_once_and_in_order(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    counter_id = f"batch-{uuid.uuid4().hex[:8]}"
    envelopes = [
        new_envelope(
            scenario.payload(counter_id=counter_id, amount=n),
            source="t",
            aggregate_id=counter_id,
            aggregate_version=n,
            actor=None,
            jurisdiction=None,
        )
        for n in (1, 2, 3)
    ]
    # The second event arrives twice in a row, as after a relay crash: inside one batch.
    for envelope in (envelopes[0], envelopes[1], envelopes[1], envelopes[2]):
        await producer.send(
            scenario.topic,
            value=envelope.model_dump_json().encode(),
            key=counter_id.encode(),
            headers=envelope.headers(),
        )
    await producer.flush()
    seen: list[tuple[str, int]] = []

    async def batch(uow: UnitOfWork, events: list[tuple[EventEnvelope, EventPayload]]) -> None:
        seen.extend((str(e.event_id), e.aggregate_version) for e, _ in events)
        for envelope, payload in events:
            await apply_counter(uow, envelope, payload)

    runner = ConsumerRunner(
        spec=ConsumerSpec(
            group=f"g-{uuid.uuid4().hex[:6]}",
            topics=[scenario.topic],
            handlers={scenario.event_type: apply_counter},
            batch_handler=batch,
        ),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack, consumer_batch_window_ms=200),
    )
    await _run_consumer(runner, lambda: len(seen) >= 3)
    assert seen == [(str(e.event_id), e.aggregate_version) for e in envelopes]
    async with platform_engine.connect() as conn:
        assert await conn.scalar(select(COUNTER.c.total).where(COUNTER.c.counter_id == counter_id)) == 6


async def test_the_claim_takes_the_oldest_rows_in_id_order_through_the_partial_index_even_on_stale_statistics(
    platform_engine: AsyncEngine, database: ServiceDatabase
) -> None:
    outbox = database.outbox
    async with platform_engine.begin() as conn:
        await conn.execute(text(f"ANALYZE {outbox.schema}.{outbox.name}"))
        # Far more rows than the statistics just taken know of, as when writers outrun autovacuum.
        await conn.execute(
            text(
                f"INSERT INTO {outbox.schema}.{outbox.name} (event_id, aggregate_type, aggregate_id,"
                " aggregate_version, event_type, event_version, topic, payload, headers)"
                " SELECT gen_random_uuid(), 'stale', 'stale-' || g, 1, 'stale.added', 1, 'stale.topic',"
                " '{}'::jsonb, '{}'::jsonb FROM generate_series(1, 20000) AS g"
            )
        )
    try:
        async with platform_engine.begin() as conn:
            await oldest_first(conn)
            claim = claim_statement(database, 500).compile(
                dialect=platform_engine.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = "\n".join((await conn.execute(text(f"EXPLAIN {claim}"))).scalars())
            rows = await claim_oldest_unpublished(conn, database, 500, backlogged=True)
            first_unpublished = await conn.scalar(select(func.min(outbox.c.id)).where(outbox.c.published_at.is_(None)))
        assert "Index Scan using ix_outbox_event_unpublished" in plan, plan
        assert "Sort" not in plan, plan
        assert "Bitmap" not in plan, plan
        ids = [r.id for r in rows]
        assert len(ids) == 500
        assert ids == sorted(ids)
        assert ids[0] == first_unpublished
    finally:
        async with platform_engine.begin() as conn:
            await conn.execute(outbox.delete().where(outbox.c.aggregate_type == "stale"))


async def test_a_batch_hook_that_fails_dead_letters_its_event_and_the_consumer_goes_on(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    """A failure in `after_batch` (e.g. a counter overflow) takes the runner's retry and dead-letter path."""
    counter_id = f"hook-{uuid.uuid4().hex[:8]}"
    first, poison, last = await _write_events(sessionmaker, database, scenario, counter_id, [1, 7, 2])
    await _publish_all(OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t"))
    hooked: list[uuid.UUID] = []

    async def overflow_on_poison(session: AsyncSession, applied: list[EventEnvelope]) -> None:
        if any(e.event_id == poison.event_id for e in applied):
            await session.execute(text("SELECT CAST(9223372036854775807 AS bigint) + 1"))
        hooked.extend(e.event_id for e in applied)

    group = f"g-{uuid.uuid4().hex[:6]}"
    runner = ConsumerRunner(
        spec=ConsumerSpec(group=group, topics=[scenario.topic], handlers={scenario.event_type: apply_counter}),
        sessionmaker=sessionmaker,
        database=database,
        settings=_settings(stack),
        after_batch=overflow_on_poison,
    )
    dead = select(func.count()).select_from(database.dead_letter).where(database.dead_letter.c.consumer == group)

    async def poison_dead_lettered_and_the_rest_applied() -> bool:
        applied = select(func.count()).select_from(APPLICATION).where(APPLICATION.c.counter_id == counter_id)
        return await _count(platform_engine, dead) == 1 and await _count(platform_engine, applied) == 2

    await _run_consumer(runner, poison_dead_lettered_and_the_rest_applied)
    async with platform_engine.connect() as conn:
        row = (await conn.execute(select(database.dead_letter).where(database.dead_letter.c.consumer == group))).one()
    assert row.event_id == poison.event_id
    assert "out of range" in row.error
    assert first.event_id in hooked
    assert last.event_id in hooked
    assert poison.event_id not in hooked


async def test_an_idle_consumer_rests_between_polls_and_still_applies_what_arrives_later(
    stack: Stack,
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
    producer: AIOKafkaProducer,
) -> None:
    runner = _runner(stack, sessionmaker, database, scenario, consumer_idle_pause_ms=100)
    counter_id = f"rest-{uuid.uuid4().hex[:8]}"
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await wait_for(lambda: runner.rests_taken >= 2, timeout_s=30)
        await _write_events(sessionmaker, database, scenario, counter_id, [4])
        await _publish_all(OutboxRelay(engine=platform_engine, database=database, producer=producer, service="t"))
        applied = select(func.count()).select_from(APPLICATION).where(APPLICATION.c.counter_id == counter_id)

        async def arrived() -> bool:
            return await _count(platform_engine, applied) == 1

        await wait_for(arrived, timeout_s=30)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
