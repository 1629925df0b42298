"""Shared pieces of the benchmarks: an embedded stack, percentiles, a steady-rate loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from shared.contracts.topics import ALL_TOPICS
from shared.db.tables import ServiceDatabase


@dataclass(frozen=True)
class BenchStack:
    """Servers a benchmark runs against."""

    database_url: str
    bootstrap_servers: str
    key_file: Path


@contextlib.contextmanager
def embedded_stack(*, topic_partitions: int = 4) -> Iterator[BenchStack]:
    """A fresh embedded PostgreSQL (fsync on, as in `make run`) and broker, or the external ones."""
    from shared.embedded import EmbeddedBroker, EmbeddedPostgres, free_port
    from shared.messaging.kafka import ensure_topics

    work = Path(tempfile.mkdtemp(prefix="safety-bench-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(work))
    postgres = broker = None
    try:
        if os.environ.get("DATABASE_URL"):
            url = os.environ["DATABASE_URL"]
        else:
            postgres = EmbeddedPostgres(work / "pg")
            postgres.start(durable=True)
            url = postgres.ensure_database("bench")
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        else:
            broker = EmbeddedBroker(free_port(), log_path=work / "broker.log")
            broker.start()
            bootstrap = broker.bootstrap_servers
        asyncio.run(ensure_topics(bootstrap, ALL_TOPICS, partitions=topic_partitions))
        yield BenchStack(database_url=url, bootstrap_servers=bootstrap, key_file=work / "signing.key")
    finally:
        if broker is not None:
            broker.stop()
        if postgres is not None:
            postgres.stop()
        # A session's database and broker log take hundreds of megabytes (gigabytes after a benchmark).
        shutil.rmtree(work, ignore_errors=True)


def database_processes(stack: BenchStack) -> list[Any]:
    """The embedded PostgreSQL's postmaster and its backends now (none for an external database), for their CPU."""
    import psutil

    data_dir = str(stack.key_file.parent / "pg")
    for process in psutil.process_iter(["cmdline"]):
        if data_dir in (process.info["cmdline"] or []):
            return [process, *process.children()]
    return []


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(samples_s: list[float]) -> str:
    """p50/p99/max of latencies given in seconds, printed in milliseconds."""
    return (
        f"p50 {percentile(samples_s, 50) * 1000:.2f} ms  p99 {percentile(samples_s, 99) * 1000:.2f} ms  "
        f"max {max(samples_s) * 1000:.2f} ms  (n={len(samples_s)})"
    )


async def run_concurrently(count: int, concurrency: int, op: Callable[[int], Awaitable[None]]) -> float:
    """Run `op(i)` for i in range(count) with `concurrency` workers; return elapsed seconds."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await op(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def timed_calls(count: int, op: Callable[[int], Awaitable[None]]) -> list[float]:
    """Latency of `count` sequential calls of `op(i)`, in seconds."""
    samples = []
    for i in range(count):
        started = time.perf_counter()
        await op(i)
        samples.append(time.perf_counter() - started)
    return samples


class LoadClient:
    """A lean HTTP/1.1 load generator: `connections` keep-alive sockets, one request at a time on each.

    httpx spends about 4 ms of CPU per request at 16 concurrent requests, as much as the API it loads;
    on two shared cores that halves the API's measured rate. This client parses only the status line and
    Content-Length, so nearly all the CPU goes to the service under test.
    """

    # uvicorn closes a keep-alive connection idle for 5 s; one idle for longer than this is replaced first.
    IDLE_LIMIT_S = 2.0

    def __init__(self, base_url: str, connections: int) -> None:
        host, _, port = base_url.removeprefix("http://").partition(":")
        self._host, self._port = host, int(port)
        self._connections = connections
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = asyncio.Queue()

    async def __aenter__(self) -> LoadClient:
        for _ in range(self._connections):
            self._idle.put_nowait((*await asyncio.open_connection(self._host, self._port), time.monotonic()))
        return self

    async def __aexit__(self, *exc: object) -> None:
        while not self._idle.empty():
            self._idle.get_nowait()[1].close()

    async def post_json(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, bytes]:
        """POST `body` as JSON to `path`; return the status and the response body."""
        payload = json.dumps(body).encode()
        head = f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        return await self._exchange(f"POST {path}", head, headers, payload)

    async def get(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, bytes]:
        """GET `path` with `params` as its query; return the status and the response body."""
        return await self._exchange(f"GET {path}?{urlencode(params)}", "", headers, b"")

    async def _exchange(self, target: str, head: str, headers: dict[str, str], payload: bytes) -> tuple[int, bytes]:
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = f"{target} HTTP/1.1\r\nHost: {self._host}\r\n{head}\r\n".encode() + payload
        reader, writer, last_used = await self._idle.get()
        try:
            if time.monotonic() - last_used > self.IDLE_LIMIT_S:
                writer.close()
                reader, writer = await asyncio.open_connection(self._host, self._port)
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            response = await reader.readexactly(length)
        except BaseException:
            writer.close()  # a failed exchange ends the run; its connection is not reused
            raise
        self._idle.put_nowait((reader, writer, time.monotonic()))
        return int(status_line.split(b" ", 2)[1]), response


@contextlib.asynccontextmanager
async def served(app: object) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port for the duration of the block."""
    import uvicorn

    from shared.embedded import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn exposes no start event)
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass(frozen=True)
class Spawned:
    """A process the bench started: its pid (for its CPU time) and, for an API, its base URL."""

    base: str
    pid: int


async def _until_ready(url: str, process: asyncio.subprocess.Process, argv: list[str], timeout_s: float = 180) -> None:
    """Wait until `url` answers 200; a process starting on a busy shared host may take a minute to import."""
    import httpx

    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            if process.returncode is not None:
                raise RuntimeError(f"{' '.join(argv[1:])} exited with {process.returncode} before it was ready")
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{' '.join(argv[1:])} was not ready within {timeout_s:g} s")


@contextlib.asynccontextmanager
async def spawned(
    argv: list[str], env: dict[str, str], port: int, *, probe: str | None = "/healthz"
) -> AsyncIterator[Spawned]:
    """Run `argv` in its own process until the block ends; with `probe`, wait until that path answers 200."""
    process = await asyncio.create_subprocess_exec(*argv, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        if probe is not None:
            await _until_ready(base + probe, process, argv)
        yield Spawned(base, process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)


@contextlib.asynccontextmanager
async def service_api(
    module: str, prefix: str, stack: BenchStack, *, api: bool = True, **settings: str
) -> AsyncIterator[Spawned]:
    """A service's API (or worker) in its own process, as deployed, not sharing the load generator's event
    loop and CPU. `settings` are extra variables without the service prefix."""
    import sys

    from shared.embedded import free_port

    port = free_port()
    env = {
        **os.environ,
        f"{prefix}DATABASE_URL": stack.database_url,
        f"{prefix}KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        f"{prefix}AUTH_HS256_KEY_FILE": str(stack.key_file),
        f"{prefix}API_PORT": str(port),
        f"{prefix}LOG_LEVEL": "WARNING",
        **{f"{prefix}{name.upper()}": value for name, value in settings.items()},
    }
    async with spawned([sys.executable, "-m", module], env, port, probe="/healthz" if api else None) as process:
        yield process


@contextlib.asynccontextmanager
async def service_process(
    module: str, prefix: str, stack: BenchStack, *, api: bool = True, **settings: str
) -> AsyncIterator[str]:
    """`service_api`, yielding only the API's base URL."""
    async with service_api(module, prefix, stack, api=api, **settings) as process:
        yield process.base


@dataclass(frozen=True)
class RawEventWrite:
    """The unit of work's own event-write statement (outbox rows, audit entry, relay wake-up) compiled for
    asyncpg: a raw baseline runs exactly the SQL we run."""

    sql: str
    parameters: tuple[str, ...]

    @classmethod
    def of(cls, database: ServiceDatabase) -> RawEventWrite:
        """The statement of `database`'s unit of work."""
        from sqlalchemy.dialects.postgresql.asyncpg import dialect

        from shared.db.uow import event_write_statement

        compiled = event_write_statement(database).compile(dialect=dialect())
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    def args(
        self,
        *,
        aggregate_type: str,
        aggregate_id: str,
        event_type: str,
        topic: str,
        data: dict[str, Any],
        path: str,
        actor_department: str | None = None,
    ) -> list[Any]:
        """Positional arguments for one first event of an aggregate, committed by a bench POST to `path`."""
        import uuid

        event_id = str(uuid.uuid4())
        event = {
            "event_id": event_id,
            "aggregate_type": aggregate_type,
            "aggregate_id": aggregate_id,
            "aggregate_version": 1,
            "event_type": event_type,
            "event_version": 1,
            "topic": topic,
            "payload": {"event_id": event_id, "event_type": event_type, "data": data},
            "headers": {"event_type": event_type},
        }
        values = {
            "events": json.dumps([event], ensure_ascii=False),
            "actor": "bench",
            "actor_roles": "[]",
            "actor_department": actor_department,
            "client_ip": None,
            "user_agent": None,
            "method": "POST",
            "path": path,
            "correlation_id": "bench",
        }
        return [values[name] for name in self.parameters]
