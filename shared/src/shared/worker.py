"""The worker process: outbox relay, event consumers and scheduled jobs, stopped cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared import clock
from shared.auth.principal import system_principal
from shared.db.engine import create_engine, create_sessionmaker
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import BatchHook, ConsumerRunner, ConsumerSpec
from shared.messaging.kafka import create_producer, with_timeout
from shared.outbox.relay import OutboxRelay, purge_published
from shared.settings import ServiceSettings
from shared.tracing import configure_tracing
from shared.worker_probe import start_probe_server

log = logging.getLogger(__name__)

JobFn = Callable[[UnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class PeriodicJob:
    """A job run every `interval_s` by exactly one replica at a time (transaction advisory lock)."""

    name: str
    interval_s: float
    run: JobFn


@dataclass
class Worker:
    """Everything a service's worker process runs."""

    settings: ServiceSettings
    database: ServiceDatabase
    consumers: Sequence[ConsumerSpec] = ()
    jobs: Sequence[PeriodicJob] = ()
    relay: bool = True
    after_batch: BatchHook | None = None
    engine: AsyncEngine | None = None
    runners: list[ConsumerRunner] = field(default_factory=list)
    outbox_relay: OutboxRelay | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, init=False)

    def health(self) -> tuple[bool, dict[str, str]]:
        """Whether every task still runs and every consumer still polls (see `worker_stall_after_s`)."""
        checks: dict[str, str] = {}
        for task in self._tasks:
            checks[task.get_name()] = "ended" if task.done() else "running"
        stall_after = self.settings.worker_stall_after_s
        for runner in self.runners:
            idle = runner.seconds_since_progress()
            if idle > stall_after:
                checks[f"consumer:{runner.spec.group}"] = f"no progress for {idle:.0f} s"
        if not self._tasks:
            checks["worker"] = "starting"
            return True, checks
        return all(v == "running" for v in checks.values()), checks

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set, then drain the outbox and stop consumers."""
        settings = self.settings
        engine = self.engine or create_engine(settings)
        clock.set_timezone(settings.timezone)
        configure_tracing(settings.service_name, settings.otel_exporter_otlp_endpoint, engine)
        sessionmaker = create_sessionmaker(engine)
        tasks: list[asyncio.Task[None]] = []
        producer = None
        try:
            if self.relay:
                producer = create_producer(settings, client_id=f"{settings.service_name}-relay")
                await with_timeout(producer.start(), settings.kafka_request_timeout_s * 3, "producer start")
                self.outbox_relay = OutboxRelay(
                    engine=engine,
                    database=self.database,
                    producer=producer,
                    service=settings.service_name,
                    batch_size=settings.relay_batch_size,
                    poll_interval_s=settings.relay_poll_interval_s,
                    send_timeout_s=settings.kafka_request_timeout_s,
                )
                tasks.append(asyncio.create_task(self.outbox_relay.run(stop), name="relay"))
            for spec in self.consumers:
                runner = ConsumerRunner(
                    spec=spec,
                    sessionmaker=sessionmaker,
                    database=self.database,
                    settings=settings,
                    after_batch=self.after_batch,
                )
                self.runners.append(runner)
                tasks.append(asyncio.create_task(runner.run(stop), name=f"consumer:{spec.group}"))
            purge = PeriodicJob("outbox-purge", 3600, _purge_job(engine, self.database, settings.outbox_retention_days))
            for job in (*self.jobs, purge):
                tasks.append(
                    asyncio.create_task(
                        _run_periodic(job, sessionmaker, self.database, settings.service_name, stop),
                        name=f"job:{job.name}",
                    )
                )
            self._tasks = tasks
            await stop.wait()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if producer is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(producer.stop(), 10)
            if self.engine is None:
                await engine.dispose()


def _purge_job(engine: AsyncEngine, database: ServiceDatabase, retention_days: int) -> JobFn:
    async def purge(_: UnitOfWork) -> None:
        removed = await purge_published(engine, database, retention_days=retention_days)
        if removed:
            log.info("purged published outbox rows", extra={"rows": removed})

    return purge


async def run_job_once(
    job: PeriodicJob, sessionmaker: async_sessionmaker[AsyncSession], database: ServiceDatabase, service: str
) -> bool:
    """Run one job iteration if no other replica is running it; returns whether it ran."""
    async with sessionmaker() as session, session.begin():
        key = zlib.crc32(f"{database.schema}.job.{job.name}".encode())
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(key))):
            return False
        uow = UnitOfWork(sessionmaker, database, source=service, actor=system_principal(service), session=session)
        await job.run(uow)
        await uow.flush_events()
    return True


async def _run_periodic(
    job: PeriodicJob,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    service: str,
    stop: asyncio.Event,
) -> None:
    while not stop.is_set():
        try:
            await run_job_once(job, sessionmaker, database, service)
        except Exception:
            log.exception("scheduled job failed", extra={"job": job.name})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), job.interval_s)


def run_worker_process(worker: Worker, metrics_host: str, metrics_port: int | None) -> None:
    """Run a worker until SIGINT or SIGTERM, with `/metrics` and `/healthz` on its metrics port."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        server = await start_probe_server(metrics_host, metrics_port, worker.health) if metrics_port else None
        try:
            await worker.run(stop)
        finally:
            if server is not None:
                server.close()

    asyncio.run(main())
