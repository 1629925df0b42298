"""Helpers for integration tests: settings, migrated schemas, API clients, topic readers, tokens."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.tokens import mint_token
from shared.db.migrations import upgrade
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.readmodels.enterprises import EnterpriseViewColumns, upsert_if_newer
from shared.settings import ServiceSettings
from shared.testing.plugin import Stack
from shared.worker import Worker

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

_migrated: set[tuple[str, str]] = set()


def make_settings(cls: type[SettingsT], stack: Stack, **overrides: Any) -> SettingsT:
    """Settings pointing at the test stack, with short broker waits."""
    values: dict[str, Any] = {
        "database_url": stack.database_url,
        "kafka_bootstrap_servers": stack.bootstrap_servers,
        "auth_hs256_key_file": stack.key_file,
        "kafka_fetch_max_wait_ms": 20,
        "relay_poll_interval_s": 0.2,
        "db_pool_size": 5,
        "consumer_retry_backoff_s": 0.01,
    }
    values.update(overrides)
    return cls(**values)


async def migrate(package: str, database_url: str) -> None:
    """Run a service's real migrations once per test session."""
    if (package, database_url) in _migrated:
        return
    await asyncio.to_thread(upgrade, package, database_url)
    _migrated.add((package, database_url))


@contextlib.asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process, with its lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@contextlib.asynccontextmanager
async def running_worker(worker: Worker) -> AsyncIterator[Worker]:
    """Run a worker in the background for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


@contextlib.asynccontextmanager
async def running_replicas(*workers: Worker, takeover_timeout_s: float = 90.0) -> AsyncIterator[tuple[Worker, ...]]:
    """Run replicas of a worker; stop them one by one, the survivors taking over every partition before the
    next one stops, as a rolling shutdown does. (The embedded broker loses its group leader for good when the
    last members leave while a rebalance is still pending.)"""
    stops = [asyncio.Event() for _ in workers]
    tasks = [asyncio.create_task(worker.run(stop)) for worker, stop in zip(workers, stops, strict=True)]
    try:
        yield workers
        for i in range(len(workers) - 1):
            stops[i].set()
            await asyncio.wait_for(tasks[i], 60)
            survivors = workers[i + 1 :]
            await wait_for(partial(_own_every_partition, survivors), timeout_s=takeover_timeout_s, interval_s=0.2)
    finally:
        for stop in stops:
            stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 60)


def _own_every_partition(workers: tuple[Worker, ...]) -> bool:
    """Whether, for each consumer group, the workers together are assigned all partitions of its topics."""
    owned: dict[str, set[tuple[str, int]]] = {}
    wanted: dict[str, set[tuple[str, int]]] = {}
    for worker in workers:
        for runner in worker.runners:
            consumer = runner.consumer
            if consumer is None:
                return False
            group = runner.spec.group
            owned.setdefault(group, set()).update((tp.topic, tp.partition) for tp in consumer.assignment())
            for topic in runner.spec.topics:
                partitions = consumer.partitions_for_topic(topic) or set()
                wanted.setdefault(group, set()).update((topic, p) for p in partitions)
    return all(wanted[group] and wanted[group] <= owned.get(group, set()) for group in wanted)


def token(stack: Stack, roles: list[str], *, subject: str | None = None, **claims: Any) -> dict[str, str]:
    """Authorization header for a test caller."""
    jwt = mint_token(stack.signing_key, subject=subject or f"user-{uuid.uuid4().hex[:8]}", roles=roles, **claims)
    return {"Authorization": f"Bearer {jwt}"}


async def wait_for(predicate: Callable[[], Any], *, timeout_s: float = 20.0, interval_s: float = 0.05) -> Any:
    """Poll an async or sync predicate until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s")
        await asyncio.sleep(interval_s)


async def read_topic(
    stack: Stack, topic: str, predicate: Callable[[dict[str, Any]], bool], *, timeout_s: float = 20.0
) -> list[tuple[bytes | None, dict[str, Any], dict[str, bytes]]]:
    """Read a topic from the start until a message matches, then on to the topic's end as it is at that moment
    (so duplicates already published are seen too); returns (key, value, headers) of the matches."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=stack.bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=20,
    )
    await consumer.start()
    found: list[tuple[bytes | None, dict[str, Any], dict[str, bytes]]] = []
    ends: dict[Any, int] | None = None
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    value = json.loads(record.value or b"{}")
                    if predicate(value):
                        found.append((record.key, value, dict(record.headers or ())))
            if found and ends is None:
                # The high watermarks of the fetches so far (the embedded broker's listed end offsets fall short).
                marks = {tp: consumer.highwater(tp) for tp in consumer.assignment()}
                ends = None if None in marks.values() else {tp: int(mark or 0) for tp, mark in marks.items()}
            if ends is not None and all([await consumer.position(tp) >= end for tp, end in ends.items()]):
                return found
    finally:
        await consumer.stop()
    raise AssertionError(f"{len(found)} matching messages on {topic} and its end not reached within {timeout_s}s")


async def seed_enterprise_view(
    uow: UnitOfWork, model: type[EnterpriseViewColumns], *, township: str, industry: str, employee_count: int = 20
) -> uuid.UUID:
    """Put an enterprise into a service's read model, as the supervisor's events would."""
    enterprise_id = uuid.uuid4()
    async with uow:
        await upsert_if_newer(
            uow,
            model,
            {
                "enterprise_id": enterprise_id,
                "name": f"测试企业{enterprise_id.hex[:6]}",
                "credit_code": "91431281MA4L000000",
                "industry_code": industry,
                "township_code": township,
                "village_code": None,
                "employee_count": employee_count,
                "status": "operating",
                "aggregate_version": 1,
            },
        )
        await uow.commit()
    return enterprise_id


async def schema_drift(
    engine: AsyncEngine, database: ServiceDatabase, *, ignore_indexes: frozenset[str] = frozenset()
) -> list[Any]:
    """What Alembic's autogenerate would change to make the migrated schema match the models.

    `ignore_indexes` names expression indexes, which Alembic cannot compare (it reports them as
    removed and added although they are identical).
    """

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _: (
                    name == database.schema if type_ == "schema" else name != "alembic_version"
                ),
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: not (type_ == "index" and name in ignore_indexes),
            },
        )
        return list(compare_metadata(context, database.metadata)) + _partial_index_drift(connection, database)

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


def _partial_index_drift(connection: Connection, database: ServiceDatabase) -> list[Any]:
    """Indexes whose WHERE clause differs between the models and the database (Alembic ignores it)."""
    migrated: dict[str, str | None] = dict(
        connection.execute(
            text(
                "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = :schema"
            ),
            {"schema": database.schema},
        ).all()
    )
    drift = []
    for table in database.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["postgresql"].get("where")
            modelled = (
                where
                if where is None or isinstance(where, str)
                else str(where.compile(compile_kwargs={"literal_binds": True}))
            )
            actual = migrated.get(str(index.name))
            if (modelled is None) != (actual is None) or (
                modelled is not None and _predicate(modelled) != _predicate(actual)
            ):
                drift.append(("partial index predicate", index.name, modelled, actual))
    return drift


def _predicate(sql: str | None) -> str:
    """A WHERE clause without what PostgreSQL adds when it prints one back: parentheses, casts, spaces."""
    without_casts = re.sub(r"::[a-z ]+(\[\])?", "", (sql or "").lower())
    return re.sub(r"[()\s]", "", without_casts)
