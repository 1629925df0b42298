"""The outbox relay: one active publisher per service, woken by LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import BigInteger, Select, Text, any_, bindparam, cast, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db.tables import ServiceDatabase
from shared.messaging.kafka import with_timeout
from shared.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED, OUTBOX_SEND_FAILURES

log = logging.getLogger(__name__)
# How often an idle relay refreshes its backlog gauge (a count query), not after every small batch.
BACKLOG_REFRESH_S = 5.0


def relay_lock_key(schema: str) -> int:
    """The advisory lock that elects the one active relay of a service."""
    return zlib.crc32(f"{schema}.outbox_relay".encode())


class OutboxRelay:
    """Publishes unpublished outbox rows in id order with key = aggregate id, then marks them."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        database: ServiceDatabase,
        producer: AIOKafkaProducer,
        service: str,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        send_timeout_s: float = 10.0,
    ) -> None:
        self.engine = engine
        self.database = database
        self.producer = producer
        self.service = service
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.send_timeout_s = send_timeout_s
        self._wakeup = asyncio.Event()
        self._backlog_refreshed_at = 0.0
        # Until a batch comes back short there may be a backlog (at start: after a restart or an outage).
        self._backlogged = True
        self.is_active = False

    async def run(self, stop: asyncio.Event) -> None:
        """Wait to become the active relay, then publish until `stop` is set (drains first)."""
        while not stop.is_set():
            try:
                async with self.engine.connect() as lock_conn:
                    if not await self._try_lock(lock_conn):
                        await _wait(stop, self.poll_interval_s)
                        continue
                    self.is_active = True
                    log.info("outbox relay active", extra={"schema": self.database.schema})
                    await self._publish_while_active(lock_conn, stop)
            except Exception:
                log.exception("outbox relay failed; retrying")
                OUTBOX_SEND_FAILURES.labels(self.service).inc()
                await _wait(stop, self.poll_interval_s)
            finally:
                self.is_active = False

    async def _try_lock(self, conn: AsyncConnection) -> bool:
        key = relay_lock_key(self.database.schema)
        locked = await conn.scalar(select(func.pg_try_advisory_lock(key)))
        await conn.commit()
        return bool(locked)

    async def _publish_while_active(self, lock_conn: AsyncConnection, stop: asyncio.Event) -> None:
        raw = await lock_conn.get_raw_connection()
        driver: Any = raw.driver_connection
        channel = self.database.notify_channel

        def on_notify(*_: object) -> None:
            self._wakeup.set()

        await driver.add_listener(channel, on_notify)
        try:
            while True:
                self._wakeup.clear()
                published = await self.publish_batch()
                if published >= self.batch_size:
                    continue
                if time.monotonic() - self._backlog_refreshed_at > BACKLOG_REFRESH_S:
                    await self._refresh_backlog()
                if stop.is_set():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(self._wakeup, stop), self.poll_interval_s)
        finally:
            with contextlib.suppress(Exception):
                await driver.remove_listener(channel, on_notify)

    async def publish_batch(self) -> int:
        """Claim, send and mark one batch; returns how many rows were published."""
        async with self.engine.begin() as conn:
            rows = await claim_oldest_unpublished(conn, self.database, self.batch_size, backlogged=self._backlogged)
            self._backlogged = len(rows) >= self.batch_size
            if not rows:
                return 0
            try:
                await self._send(rows)
            except Exception as exc:
                OUTBOX_SEND_FAILURES.labels(self.service).inc()
                await conn.rollback()
                await self._record_failure([r.id for r in rows], exc)
                raise
            await self._mark_published(conn, [r.id for r in rows])
        OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
        return len(rows)

    async def _send(self, rows: Sequence[Any]) -> None:
        async def enqueue_and_wait() -> None:
            futures = [
                await self.producer.send(
                    row.topic,
                    value=row.payload.encode(),
                    key=row.aggregate_id.encode(),
                    headers=[(k, str(v).encode()) for k, v in row.headers.items()],
                )
                for row in rows
            ]
            await asyncio.gather(*futures)

        await with_timeout(enqueue_and_wait(), self.send_timeout_s, f"publishing {len(rows)} events")

    async def _mark_published(self, conn: AsyncConnection, ids: list[int]) -> None:
        outbox = self.database.outbox
        await conn.execute(
            update(outbox)
            .where(outbox.c.id == any_(_ids(ids)))
            .values(published_at=func.now(), attempts=outbox.c.attempts + 1, last_error=None)
        )

    async def _record_failure(self, ids: list[int], exc: Exception) -> None:
        outbox = self.database.outbox
        async with self.engine.begin() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == any_(_ids(ids)))
                .values(attempts=outbox.c.attempts + 1, last_error=repr(exc)[:2000])
            )

    async def _refresh_backlog(self) -> None:
        OUTBOX_BACKLOG.labels(self.service).set(await outbox_backlog(self.engine, self.database))
        self._backlog_refreshed_at = time.monotonic()


_OLDEST_FIRST_PLAN = text("SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)")


async def oldest_first(conn: AsyncConnection) -> None:
    """Make the planner of this transaction take unpublished rows from the partial index in id order.

    An outbox fills faster than autovacuum analyses it. With statistics that counted a few hundred
    unpublished rows when there were tens of thousands, the planner fetched all of them and sorted
    them (150-250 ms a batch) instead of stopping at the limit.
    """
    await conn.execute(_OLDEST_FIRST_PLAN)


def claim_statement(database: ServiceDatabase, limit: int) -> Select[Any]:
    """The oldest unpublished rows, locked, skipping rows another relay holds."""
    outbox = database.outbox
    return (
        select(
            outbox.c.id,
            outbox.c.topic,
            outbox.c.aggregate_id,
            # As text: the relay forwards the JSON as it is stored, no decode and re-encode.
            cast(outbox.c.payload, Text).label("payload"),
            outbox.c.headers,
        )
        .where(outbox.c.published_at.is_(None))
        .order_by(outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def claim_oldest_unpublished(
    conn: AsyncConnection, database: ServiceDatabase, limit: int, *, backlogged: bool
) -> Sequence[Any]:
    """Claim up to `limit` unpublished rows in id order, in the caller's transaction.

    Only with a backlog does the plan matter enough to pay a round trip for `oldest_first`: a relay that
    keeps up claims a handful of rows, which any plan finds at once.
    """
    if backlogged:
        await oldest_first(conn)
    return (await conn.execute(claim_statement(database, limit))).all()


def _ids(ids: list[int]) -> Any:
    """Outbox ids as one array parameter: one prepared statement whatever the batch size."""
    return bindparam("ids", ids, type_=ARRAY(BigInteger))


async def outbox_backlog(engine: AsyncEngine, database: ServiceDatabase) -> int:
    """How many outbox rows wait to be published (served by the partial index)."""
    outbox = database.outbox
    async with engine.connect() as conn:
        return int(
            await conn.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))) or 0
        )


async def republish_retained(engine: AsyncEngine, database: ServiceDatabase, *, retention_days: int) -> int:
    """Mark retained events unpublished so a fresh, empty broker receives them again.

    Consumers deduplicate by event id, so events they already applied are skipped.
    """
    outbox = database.outbox
    async with engine.begin() as conn:
        result = await conn.execute(
            update(outbox)
            .where(outbox.c.published_at > func.now() - timedelta(days=retention_days))
            .values(published_at=None)
        )
    return int(result.rowcount or 0)


async def purge_published(engine: AsyncEngine, database: ServiceDatabase, *, retention_days: int) -> int:
    """Delete published rows older than the retention period."""
    outbox = database.outbox
    async with engine.begin() as conn:
        result = await conn.execute(
            outbox.delete().where(outbox.c.published_at < func.now() - timedelta(days=retention_days))
        )
    return int(result.rowcount or 0)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
