"""Platform path benchmark, in one run on the embedded stack.

1. Raw broker path: one aiokafka producer to one consumer (no database).
2. Our path, with the relay and the consumer each in its own process as deployed, warmed up by 1,000 events:
   a. commit-to-handled latency at a steady 500 events/s, one event per use-case transaction;
   b. throughput: use cases commit 50,000 events to the outbox, the relay publishes them, the consumer
      applies each once (inbox + projection upsert) and commits.

Run: uv run python -m bench.platform_path [--events 50000] [--steady-seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, String, Table, bindparam, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.common import embedded_stack, summary_ms
from shared.auth.principal import system_principal
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import event
from shared.db.tables import make_service_database
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import ConsumerRunner, ConsumerSpec
from shared.messaging.kafka import create_producer, ensure_topics
from shared.outbox.relay import OutboxRelay
from shared.settings import ServiceSettings

TOPIC = "bench.events"
RAW_TOPIC = "bench.raw"
DATABASE = make_service_database("bench")
TALLY = Table(
    "tally",
    DATABASE.metadata,
    Column("key", String(64), primary_key=True),
    Column("n", Integer, nullable=False),
)
PADDING = "安全生产" * 40


@event("bench.measured", 1, aggregate="bench", topic=TOPIC)
class BenchMeasuredV1(EventPayload):
    """A synthetic event of about 500 bytes."""

    key: str
    padding: str


def _settings(url: str, bootstrap: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="bench",
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        kafka_fetch_max_wait_ms=10,
        consumer_batch_size=500,
        relay_batch_size=1000,
        relay_poll_interval_s=0.5,
    )


UPSERT = (
    pg_insert(TALLY)
    .values(key=bindparam("key"), n=1)
    .on_conflict_do_update(index_elements=[TALLY.c.key], set_={"n": TALLY.c.n + 1})
)


async def _apply_batch(uow: UnitOfWork, events: list[tuple[EventEnvelope, EventPayload]]) -> None:
    """A projection that writes a whole batch with one executemany, as reporting's counters do."""
    await uow.session.execute(UPSERT, [{"key": payload.model_dump()["key"]} for _, payload in events])


async def _apply(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    await _apply_batch(uow, [(envelope, payload)])


class _TimedRunner(ConsumerRunner):
    """Reports when each event's transaction has committed."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.out = out

    async def process(self, raw_records: Any) -> None:
        await super().process(raw_records)
        now = time.time()
        self.out.put([(dict(r.headers)["event_id"].decode(), now) for r in raw_records])


def _consumer_process(url: str, bootstrap: str, group: str, out: Any, stop: Any) -> None:
    async def main() -> None:
        settings = _settings(url, bootstrap)
        engine = create_async_engine(settings.database_url, pool_size=4)
        runner = _TimedRunner(
            out,
            spec=ConsumerSpec(
                group=group, topics=[TOPIC], handlers={"bench.measured": _apply}, batch_handler=_apply_batch
            ),
            sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
            database=DATABASE,
            settings=settings,
        )
        halt = asyncio.Event()
        task = asyncio.create_task(runner.run(halt))
        await asyncio.to_thread(stop.wait)
        halt.set()
        await task
        await engine.dispose()

    asyncio.run(main())


def _relay_process(url: str, bootstrap: str, stop: Any) -> None:
    async def main() -> None:
        settings = _settings(url, bootstrap)
        engine = create_async_engine(settings.database_url, pool_size=4)
        producer = create_producer(settings, client_id="bench-relay")
        await producer.start()
        relay = OutboxRelay(
            engine=engine, database=DATABASE, producer=producer, service="bench", batch_size=1000, poll_interval_s=0.2
        )
        halt = asyncio.Event()
        task = asyncio.create_task(relay.run(halt))
        await asyncio.to_thread(stop.wait)
        halt.set()
        await task
        await producer.stop()
        await engine.dispose()

    asyncio.run(main())


async def _write(
    sessionmaker: async_sessionmaker[AsyncSession], count: int, per_transaction: int, writers: int
) -> dict[str, float]:
    """Commit `count` events, `per_transaction` a transaction, from `writers` concurrent use cases."""
    committed: dict[str, float] = {}
    remaining = [count]

    async def writer() -> None:
        while remaining[0] > 0:
            n = min(per_transaction, remaining[0])
            remaining[0] -= n
            uow = UnitOfWork(sessionmaker, DATABASE, source="bench", actor=system_principal("bench"))
            async with uow:
                ids = []
                for _ in range(n):
                    key = uuid.uuid4().hex
                    ids.append(
                        str(
                            uow.record(
                                BenchMeasuredV1(key=key, padding=PADDING), aggregate_id=key, aggregate_version=1
                            ).event_id
                        )
                    )
                await uow.commit()
            now = time.time()
            committed.update(dict.fromkeys(ids, now))

    await asyncio.gather(*(writer() for _ in range(writers)))
    return committed


async def _steady(sessionmaker: async_sessionmaker[AsyncSession], rate: int, seconds: float) -> dict[str, float]:
    """Commit one event per transaction at a steady `rate` per second."""
    committed: dict[str, float] = {}
    interval = 1.0 / rate
    started = time.perf_counter()
    in_flight: set[asyncio.Task[None]] = set()

    async def one() -> None:
        key = uuid.uuid4().hex
        uow = UnitOfWork(sessionmaker, DATABASE, source="bench", actor=system_principal("bench"))
        async with uow:
            envelope = uow.record(BenchMeasuredV1(key=key, padding=PADDING), aggregate_id=key, aggregate_version=1)
            await uow.commit()
        committed[str(envelope.event_id)] = time.time()

    for i in range(int(rate * seconds)):
        delay = started + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one())
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    return committed


def _collect(out: Any, wanted: set[str], timeout_s: float) -> dict[str, float]:
    handled: dict[str, float] = {}
    deadline = time.time() + timeout_s
    while not wanted <= handled.keys():
        if time.time() > deadline:
            break
        try:
            for event_id, at in out.get(timeout=1):
                handled.setdefault(event_id, at)
        except Exception:
            continue
    return handled


async def _raw(bootstrap: str, count: int) -> float:
    """Produce `count` messages and consume them all; events per second end to end."""
    await ensure_topics(bootstrap, [RAW_TOPIC], partitions=4)
    value = BenchMeasuredV1(key="x" * 32, padding=PADDING).model_dump_json().encode()
    consumer = AIOKafkaConsumer(
        RAW_TOPIC,
        bootstrap_servers=bootstrap,
        group_id=f"raw-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
        max_poll_records=500,
    )
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2)
    await producer.start()
    seen = 0

    async def consume() -> None:
        nonlocal seen
        while seen < count:
            for records in (await consumer.getmany(timeout_ms=100, max_records=500)).values():
                seen += len(records)
            await consumer.commit()

    started = time.perf_counter()
    consuming = asyncio.create_task(consume())
    for i in range(count):
        await producer.send(RAW_TOPIC, value=value, key=str(i).encode())
    await producer.flush()
    await consuming
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return count / elapsed


def main() -> None:
    """Run the three measurements and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    parser.add_argument("--steady-rate", type=int, default=500)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    with embedded_stack() as stack:
        asyncio.run(ensure_topics(stack.bootstrap_servers, [TOPIC], partitions=4))

        async def prepare() -> None:
            engine = create_async_engine(ServiceSettings._async_driver(stack.database_url))
            async with engine.begin() as conn:
                await conn.execute(text("CREATE SCHEMA IF NOT EXISTS bench"))
                await conn.run_sync(DATABASE.metadata.create_all)
            await engine.dispose()

        asyncio.run(prepare())
        raw_rate = asyncio.run(_raw(stack.bootstrap_servers, args.events))
        print(f"raw broker path (produce -> consume, {args.events} events): {raw_rate:,.0f} events/s")

        out, stop = ctx.Queue(), ctx.Event()
        processes = [
            ctx.Process(target=_relay_process, args=(stack.database_url, stack.bootstrap_servers, stop)),
            ctx.Process(
                target=_consumer_process,
                args=(stack.database_url, stack.bootstrap_servers, "bench.projection", out, stop),
            ),
        ]
        for p in processes:
            p.start()

        async def write(count: int) -> tuple[dict[str, float], float]:
            engine = create_async_engine(ServiceSettings._async_driver(stack.database_url), pool_size=8)
            started = time.time()
            committed = await _write(async_sessionmaker(engine, expire_on_commit=False), count, 100, 4)
            await engine.dispose()
            return committed, started

        # Measure the running path, not start-up: the relay and the consumer (its group joined and
        # partitions assigned, which takes the embedded broker a few seconds) first carry a warm-up batch.
        warm_up, _ = asyncio.run(write(1000))
        if not set(warm_up) <= _collect(out, set(warm_up), timeout_s=120).keys():
            raise SystemExit("the warm-up events were not all handled within 120 s")

        async def steady() -> dict[str, float]:
            engine = create_async_engine(ServiceSettings._async_driver(stack.database_url), pool_size=20)
            committed = await _steady(
                async_sessionmaker(engine, expire_on_commit=False), args.steady_rate, args.steady_seconds
            )
            await engine.dispose()
            return committed

        # Before the burst below: its dead rows and their vacuuming are not part of a steady 500/s.
        committed = asyncio.run(steady())
        handled = _collect(out, set(committed), timeout_s=60)
        latencies = [handled[e] - t for e, t in committed.items() if e in handled]
        print(
            f"commit-to-handled latency at a steady {args.steady_rate} events/s for {args.steady_seconds:.0f} s "
            f"(one event per transaction): {summary_ms(latencies)}; handled {len(latencies)}/{len(committed)}"
        )
        committed, started = asyncio.run(write(args.events))
        handled = _collect(out, set(committed), timeout_s=300)
        finished = max(handled.values())
        ours = len(handled) / (finished - started)
        write_rate = len(committed) / (max(committed.values()) - started)
        print(
            f"our path (outbox insert -> relay -> consume -> inbox -> commit, {len(handled)}/{args.events} "
            f"events, 100 per use-case transaction, 4 writers): {ours:,.0f} events/s "
            f"(the writers committed {write_rate:,.0f}/s meanwhile)"
        )
        print(f"ratio our path / raw broker path: {ours / raw_rate:.3f}")

        stop.set()
        for p in processes:
            p.join(30)


if __name__ == "__main__":
    main()
