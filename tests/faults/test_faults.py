"""Faults injected into a real `safety up` while a mixed workload writes through the public APIs.

After each fault, without a hand: every acknowledged write is present, every event reached every consumer
group that handles it and was applied once (reporting's counters and the enterprise read models equal a
recomputation from the owning services' tables), dead letters hold only the poison injected, and every API
and worker is ready. The counts checked are printed per fault (`-s` shows them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any, cast

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.topics import HAZARD_EVENTS
from shared.testing.helpers import read_topic

from .stack import PUBLISHERS
from .system import Database, System, check_after_fault, consumer_groups, dead_letters, wait_until, workload_running

pytestmark = [pytest.mark.fault, pytest.mark.timeout(420)]


def _signal(system: System, child: str, sig: signal.Signals) -> int:
    pid = system.stack.pid(child)
    os.kill(pid, sig)
    return pid


@contextlib.asynccontextmanager
async def _stopped(system: System, child: str) -> AsyncIterator[Callable[[], None]]:
    """SIGSTOP a child for the body (which may resume it earlier by calling what it gets); SIGCONT afterwards."""
    pid = _signal(system, child, signal.SIGSTOP)

    def resume() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)

    try:
        yield resume
    finally:
        resume()


@contextlib.asynccontextmanager
async def _table_locked(db: Database, table: str) -> AsyncIterator[None]:
    """Hold SHARE on a table: readers and row locks (a claim) pass, writers wait until the body ends."""
    conn = await asyncpg.connect(db.dsn)
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN SHARE MODE")
            yield
    finally:
        await conn.close()


async def _waiting_on(db: Database, statement_prefix: str) -> bool:
    """Whether some session waits for a lock in a statement starting with `statement_prefix`."""
    return bool(
        await db.value(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE $1",
            f"{statement_prefix}%",
        )
    )


async def _killed_and_restarted(system: System, child: str) -> None:
    """SIGKILL a child and wait until the supervisor started a new one."""
    before = system.stack.restarts(child)
    _signal(system, child, signal.SIGKILL)
    await wait_until(f"{child} restarted", lambda: _restarted(system, child, before), timeout_s=60)


async def _restarted(system: System, child: str, before: int) -> bool:
    return system.stack.restarts(child) > before and system.stack.children()[child]["status"] == "running"


async def _more_writes(system: System, count: int) -> None:
    """Wait until the running workload had `count` more writes acknowledged."""

    async def grown(target: int) -> bool:
        return system.workload.total >= target

    await wait_until(f"{count} more acknowledged writes", partial(grown, system.workload.total + count), timeout_s=90)


async def _dead_lettered(system: System) -> bool:
    return system.poison <= set(await dead_letters(system.db))


async def _publish(system: System, rows: list[dict[str, Any]], copies: int) -> int:
    """Send outbox rows to the broker ourselves, as the relay would (same topic, key and headers)."""
    producer = AIOKafkaProducer(bootstrap_servers=system.stack.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for _ in range(copies):
            for row in rows:
                headers = [(k, str(v).encode()) for k, v in row["headers"].items()]
                await producer.send_and_wait(
                    row["topic"], row["payload"].encode(), key=row["aggregate_id"].encode(), headers=headers
                )
    finally:
        await producer.stop()
    return len(rows) * copies


_NEWEST = """
SELECT topic, aggregate_id, payload::text AS payload, headers FROM {schema}.outbox_event
WHERE {condition} ORDER BY id DESC LIMIT $1
"""


async def _outbox_rows(db: Database, schema: str, condition: str, limit: int) -> list[dict[str, Any]]:
    """The newest outbox rows matching `condition`, newest first, headers decoded (asyncpg gives JSONB as text)."""
    rows = await db.fetch(_NEWEST.format(schema=schema, condition=condition), limit)
    return [{**dict(r), "headers": json.loads(r["headers"])} for r in rows]


async def test_a_poison_event_in_every_consumer_group(system: System) -> None:
    """A message no handler can read is dead-lettered once in each group that handles its type, nothing else."""
    groups = consumer_groups()
    producer = AIOKafkaProducer(bootstrap_servers=system.stack.bootstrap_servers, acks="all")
    await producer.start()
    try:
        async with workload_running(system.workload, ops=30, pace_s=0.05):
            for group in groups:
                topic, event_type, event_id = group.spec.topics[0], sorted(group.spec.handlers)[0], uuid.uuid4()
                headers = [
                    ("event_id", str(event_id).encode()),
                    ("event_type", event_type.encode()),
                    ("event_version", b"1"),
                ]
                await producer.send_and_wait(topic, b'{"poison": true}', key=b"poison", headers=headers)
                system.poison |= {
                    (g.name, event_id) for g in groups if topic in g.spec.topics and event_type in g.spec.handlers
                }
            await wait_until("every poison dead-lettered", lambda: _dead_lettered(system), timeout_s=60)
    finally:
        await producer.stop()
    await check_after_fault(
        system, "poison event in every consumer group", poison_messages=len(groups), groups=len(groups)
    )


async def test_sigkill_a_worker_mid_batch(system: System) -> None:
    """Reporting's worker killed while its batch waits inside a transaction: the supervisor restarts it and the
    batch is applied once."""
    async with (
        workload_running(system.workload, ops=40, pace_s=0.05),
        _table_locked(system.db, "reporting.event_log"),
    ):
        await wait_until(
            "reporting's worker inside a batch", lambda: _waiting_on(system.db, "%event_log"), timeout_s=60
        )
        await _killed_and_restarted(system, "reporting-worker")
    await check_after_fault(
        system, "SIGKILL a worker mid-batch", worker_restarts=system.stack.restarts("reporting-worker")
    )


async def test_sigkill_the_relay_between_send_and_mark(system: System) -> None:
    """Hazard's worker killed after its relay sent a batch and before it marked it: the rows are sent again
    by the restarted relay, and consumers apply each event once."""
    db = system.db
    async with (
        workload_running(system.workload, ops=30, pace_s=0.05, kinds=("enterprise", "enterprise_change")),
        _stopped(system, "hazard-worker") as resume,
    ):
        # Rows to publish pile up while the relay is frozen; it wakes to find the table SHARE-locked, so it
        # claims and sends them and then waits to mark them.
        await system.workload.run(asyncio.Event(), ops=6, pace_s=0.01, kinds=("hazard",))
        async with _table_locked(db, "hazard.outbox_event"):
            resume()
            await wait_until(
                "the relay between send and mark", lambda: _waiting_on(db, "UPDATE hazard.outbox_event"), 60
            )
            unmarked = await db.fetch("SELECT event_id::text FROM hazard.outbox_event WHERE published_at IS NULL")
            await _killed_and_restarted(system, "hazard-worker")
    await check_after_fault(
        system,
        "SIGKILL the relay between send and mark",
        sent_unmarked=len(unmarked),
        worker_restarts=system.stack.restarts("hazard-worker"),
    )
    # The kill came after the send: each of those events is on the topic from the killed relay and again from
    # the restarted one.
    ids = {row[0] for row in unmarked}
    copies = Counter(
        value["event_id"]
        for _, value, _ in await read_topic(cast(Any, system.stack), HAZARD_EVENTS, lambda v: v.get("event_id") in ids)
    )
    print(f"[fault] SIGKILL the relay between send and mark: copies on {HAZARD_EVENTS} {sorted(copies.values())}")
    assert set(copies) == ids
    assert all(n >= 2 for n in copies.values()), copies


async def test_duplicated_and_reordered_deliveries(system: System) -> None:
    """Events delivered newest first and twice, then again in order by the relay, are applied once each."""
    workload, db = system.workload, system.db
    async with _stopped(system, "supervisor-worker"):
        kinds = ("enterprise", "enterprise_change", "enterprise_change")
        await workload.run(asyncio.Event(), ops=12, pace_s=0.01, kinds=kinds)
        # Registrations and their later changes, each aggregate's newest version first, before the relay
        # sends them in order; and events every consumer group already applied, again and reversed.
        pending = await _outbox_rows(db, "supervisor", "published_at IS NULL", 100)
        applied = [r for s in PUBLISHERS for r in await _outbox_rows(db, s, "published_at IS NOT NULL", 20)]
        injected = await _publish(system, pending, copies=2) + await _publish(system, applied, copies=2)
    await check_after_fault(
        system, "duplicated and reordered deliveries", reordered_pending=len(pending), redelivered_messages=injected
    )


async def test_sigstop_the_broker_for_20_seconds(system: System) -> None:
    """Writes go on while the broker is frozen; everything they published arrives after it wakes."""
    before = system.workload.total
    async with workload_running(system.workload, ops=150, pace_s=0.15), _stopped(system, "broker"):
        await asyncio.sleep(20)  # the outage itself
    during = system.workload.total - before
    await check_after_fault(system, "SIGSTOP the broker 20 s", writes_during_outage=during)


async def test_stop_and_start_postgresql(system: System) -> None:
    """PostgreSQL shut down under load is started again by the supervisor; every acknowledged write survives."""
    async with workload_running(system.workload, ops=80, pace_s=0.1):
        await _more_writes(system, 3)
        before = system.stack.restarts("postgresql")
        _signal(system, "postgresql", signal.SIGINT)  # fast shutdown: sessions are cut, nothing committed is lost
        await wait_until("PostgreSQL started again", lambda: _restarted(system, "postgresql", before), timeout_s=90)
        await _more_writes(system, 3)
    await check_after_fault(system, "stop and start PostgreSQL", postgres_restarts=system.stack.restarts("postgresql"))


async def test_sigkill_the_broker(system: System) -> None:
    """The embedded broker killed under load comes back empty; the supervisor re-creates its topics and
    re-publishes the retained outbox, and consumers skip what they had applied."""
    async with workload_running(system.workload, ops=60, pace_s=0.1):
        await _more_writes(system, 3)
        await _killed_and_restarted(system, "broker")
        await _more_writes(system, 3)
    await check_after_fault(system, "SIGKILL the broker", broker_restarts=system.stack.restarts("broker"))
