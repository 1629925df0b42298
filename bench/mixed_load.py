"""A mixed workload over all four services' APIs at 1, 4, 16 and 64 requests in flight, against a bare FastAPI floor.

Each API runs alone in its own process (one uvicorn worker, as deployed); the load client is this process. For
every step it prints the rate of answered requests, p50/p99 per endpoint kind, the errors (503s, the admission
control's answer to overload, counted apart), the API's and the database's CPU per request, the load client's own
CPU (it shares the host's cores with the API) and how busy the whole host was. A bare FastAPI app answering the
same mix of shapes from memory, measured in the same run with the same client, is the floor every figure is given
against. Then two replicas of the hazard API against one, at the same in-flight count, in alternating rounds (the
shared host's speed drifts).

The hazard mix is the issue's: 70% list of 20, 10% get, 20% create.

    python -m bench.mixed_load [--duration 5] [--services hazard,enforcement,supervisor,reporting] [--rounds 3]
        [--replica-in-flight 16]

The API processes take their settings from this process's environment, e.g. HAZARD_API_MAX_IN_FLIGHT=8 or
HAZARD_API_MAX_IN_FLIGHT=0 (admission control off) to compare. On a shared host, read each figure beside the floor
and the "host busy" share: an API given a fraction of a core by the scheduler answers a fraction of its rate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import psutil
from fastapi import FastAPI

from bench.common import (
    BenchStack,
    LoadClient,
    Spawned,
    database_processes,
    embedded_stack,
    percentile,
    service_api,
    spawned,
)
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

CONCURRENCY = (1, 4, 16, 64)
TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]
ENTERPRISES = 500
# An answer to one request: its status and body.
Answer = tuple[int, bytes]
Call = Callable[[LoadClient, int], Awaitable[Answer]]


@dataclass(frozen=True)
class Kind:
    """One kind of request in a mix: its share of the requests, how it is sent and the status it should get."""

    name: str
    weight: int
    call: Call
    expect: int = 200


@dataclass(frozen=True)
class Workload:
    """A service's API and the mix of requests it is measured with."""

    name: str
    module: str
    prefix: str
    kinds: list[Kind]


@dataclass
class Step:
    """What one step at one concurrency measured."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    api_cpu_s: float = 0.0
    db_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    # Share of all cores busy during the step, whoever used them (the host is shared).
    host_busy: float = 0.0

    @property
    def answered(self) -> int:
        """Requests answered with their expected status."""
        return sum(len(samples) for samples in self.latencies.values())


def _pick(kinds: list[Kind], rng: random.Random) -> Kind:
    return rng.choices(kinds, weights=[kind.weight for kind in kinds])[0]


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _database_cpu_s(stack: BenchStack | None) -> dict[int, float]:
    """CPU time of each database process by pid; a backend started during a step counts from zero."""
    found = {}
    for process in database_processes(stack) if stack else []:
        with contextlib.suppress(psutil.NoSuchProcess):
            found[process.pid] = _cpu_s(process.pid)
    return found


async def measure(
    apis: list[Spawned], kinds: list[Kind], concurrency: int, seconds: float, database: BenchStack | None = None
) -> Step:
    """Closed-loop load: `concurrency` requests always in flight, spread evenly over `apis`, for `seconds`; with
    `database`, the embedded PostgreSQL's CPU is measured too."""
    step = Step()
    shares = [concurrency // len(apis) + (1 if n < concurrency % len(apis) else 0) for n in range(len(apis))]
    async with contextlib.AsyncExitStack() as running:
        connections = []
        for api, share in zip(apis, shares, strict=True):
            client = await running.enter_async_context(LoadClient(api.base, share))
            connections += [client] * share
        counter = iter(range(sys.maxsize))
        cpu_before = [_cpu_s(api.pid) for api in apis]
        database_before = _database_cpu_s(database)
        client_before, host_before = time.process_time(), psutil.cpu_times()
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(client: LoadClient, rng: random.Random) -> None:
            while time.perf_counter() < deadline:
                kind = _pick(kinds, rng)
                sent = time.perf_counter()
                status, _ = await kind.call(client, next(counter))
                if status == kind.expect:
                    step.latencies[kind.name].append(time.perf_counter() - sent)
                else:
                    step.errors[status] += 1

        await asyncio.gather(*(worker(client, random.Random(n)) for n, client in enumerate(connections)))
        step.seconds = time.perf_counter() - started
        step.client_cpu_s = time.process_time() - client_before
        host_after = psutil.cpu_times()
        idle = host_after.idle - host_before.idle
        step.host_busy = 1 - idle / max(sum(host_after) - sum(host_before), 1e-9)
        step.api_cpu_s = sum(_cpu_s(api.pid) - before for api, before in zip(apis, cpu_before, strict=True))
        database_after = _database_cpu_s(database)
        step.db_cpu_s = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items())
    return step


def _cpu(step: Step) -> str:
    """CPU per answered request of the API(s) and the database, and the load client's and the host's share."""
    per_request = max(step.answered, 1) / 1000
    return (
        f"CPU ms/req: API {step.api_cpu_s / per_request:4.2f}, DB {step.db_cpu_s / per_request:4.2f};"
        f" client {step.client_cpu_s / step.seconds * 100:3.0f}% of a core, host busy {step.host_busy * 100:3.0f}%"
    )


def report(concurrency: int, step: Step, floor: Step | None) -> None:
    """One line per step: rate (and its share of the floor's), errors, CPU; then latency per kind."""
    rate = step.answered / step.seconds
    versus = f" ({rate / (floor.answered / floor.seconds) * 100:4.0f}% of floor)" if floor else ""
    errors = ", ".join(f"{status}: {n}" for status, n in sorted(step.errors.items())) or "none"
    print(f"  {concurrency:>3} in flight: {rate:7.1f} rps{versus}  errors {errors}  {_cpu(step)}")
    for name, samples in sorted(step.latencies.items()):
        p50, p99 = percentile(samples, 50) * 1000, percentile(samples, 99) * 1000
        print(f"        {name:<22} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  ({p99 / p50:4.1f}x)  n={len(samples)}")


# The floor: the same shapes of request and answer, from memory, with nothing but FastAPI and uvicorn.
bare_app = FastAPI()
_BARE_ITEMS = [{"id": str(uuid.uuid4()), "name": f"企业{n}", "status": "reported", "version": 1} for n in range(20)]


@bare_app.get("/healthz")
async def _bare_health() -> dict[str, str]:
    return {"status": "ok"}


@bare_app.get("/items")
async def _bare_list() -> dict[str, Any]:
    return {"items": _BARE_ITEMS, "next_cursor": None}


@bare_app.get("/items/{item_id}")
async def _bare_get(item_id: str) -> dict[str, Any]:
    return {**_BARE_ITEMS[0], "id": item_id}


@bare_app.post("/items", status_code=201)
async def _bare_create(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "id": str(uuid.uuid4())}


def bare_kinds() -> list[Kind]:
    """The hazard mix's shapes against the bare app."""
    return [
        Kind("list", 70, lambda c, i: c.get("/items", {"limit": 20}, {})),
        Kind("get", 10, lambda c, i: c.get(f"/items/{i}", {}, {})),
        Kind("create", 20, lambda c, i: c.post_json("/items", {"description": f"隐患 {i}"}, {}), 201),
    ]


@contextlib.asynccontextmanager
async def bare_process() -> AsyncIterator[Spawned]:
    """The bare app under uvicorn in its own process, with uvicorn's defaults (uvloop and httptools)."""
    import os

    from shared.embedded import free_port

    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench.mixed_load:bare_app", "--port", str(port)]
    async with spawned([*argv, "--log-level", "warning", "--no-access-log"], dict(os.environ), port) as process:
        yield process


def _bearer(key: bytes, roles: list[str], **claims: Any) -> dict[str, str]:
    token = mint_token(key, subject="bench-load", roles=roles, jurisdictions=["431281000000"], name="bench", **claims)
    return {"Authorization": f"Bearer {token}"}


async def _seed_enterprise_view(dsn: str, schema: str) -> list[str]:
    """Enterprises a service knows from the registry's events, written straight into its read model."""
    ids = [uuid.uuid4() for _ in range(ENTERPRISES)]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.executemany(
            f"INSERT INTO {schema}.enterprise_view (enterprise_id, name, credit_code, industry_code, township_code,"
            " employee_count, status, aggregate_version) VALUES ($1, $2, '91431281MA4L000000', '2672', $3, 20,"
            " 'operating', 1)",
            [(eid, f"企业{n}", TOWNSHIPS[n % len(TOWNSHIPS)]) for n, eid in enumerate(ids)],
        )
    finally:
        await conn.close()
    return [str(eid) for eid in ids]


def _created_ids(call: Call, ids: list[str]) -> Call:
    """`call`, keeping the id of each thing it creates for the mix's gets."""
    import json

    async def create(client: LoadClient, i: int) -> Answer:
        status, body = await call(client, i)
        if status == 201:
            ids.append(json.loads(body)["id"])
        return status, body

    return create


def _get_one(path: str, ids: list[str], headers: dict[str, str]) -> Call:
    return lambda c, i: c.get(f"{path}/{ids[i % len(ids)]}", {}, headers)


def _write_mix(service: str, path: str, headers: dict[str, str], body: Callable[[int], dict[str, Any]]) -> Workload:
    """The issue's mix on one resource: 70% list of 20, 10% get (of one created here), 20% create."""
    ids: list[str] = []
    create = _created_ids(lambda c, i: c.post_json(path, body(i), headers), ids)
    return Workload(
        service,
        f"{service}_service.entrypoints.api",
        f"{service.upper()}_",
        [
            Kind("list of 20", 70, lambda c, i: c.get(path, {"limit": 20}, headers)),
            Kind("get", 10, _get_one(path, ids, headers)),
            Kind("create", 20, create, 201),
        ],
    )


async def hazard_workload(stack: BenchStack, key: bytes) -> Workload:
    """70% list of 20, 10% get, 20% create (the issue's mix)."""
    enterprises = await _seed_enterprise_view(_dsn(stack), "hazard")
    headers = _bearer(key, ["city_admin"])

    def body(i: int) -> dict[str, Any]:
        return {
            "enterprise_id": enterprises[i % len(enterprises)],
            "grade": "general",
            "source": "department_inspection",
            "description": f"混合负载隐患 {i}",
            "reported_on": "2026-03-01",
        }

    return _write_mix("hazard", "/api/v1/hazards", headers, body)


async def enforcement_workload(stack: BenchStack, key: bytes) -> Workload:
    """70% list of 20 cases, 10% get (with the case file), 20% file a case."""
    enterprises = await _seed_enterprise_view(_dsn(stack), "enforcement")
    headers = _bearer(key, ["department_officer"], department="yjj")

    def body(i: int) -> dict[str, Any]:
        return {
            "party_type": "unit",
            "party_name": "某企业",
            "enterprise_id": enterprises[i % len(enterprises)],
            "cause": "违法行为",
            "filed_on": "2026-03-02",
        }

    return _write_mix("enforcement", "/api/v1/cases", headers, body)


async def supervisor_workload(stack: BenchStack, key: bytes) -> Workload:
    """The demo registry: 80% list of 20 enterprises, 20% get one."""
    from shared.db import create_engine, create_sessionmaker
    from shared.settings import load_settings
    from supervisor_service.config import SupervisorSettings
    from supervisor_service.db import DATABASE
    from supervisor_service.seed import seed

    settings = load_settings(
        SupervisorSettings, database_url=stack.database_url, kafka_bootstrap_servers=stack.bootstrap_servers
    )
    engine = create_engine(settings, pool_size=1)
    try:
        await seed(create_sessionmaker(engine), DATABASE, service=settings.service_name, if_empty=True)
        async with engine.connect() as conn:
            ids = [str(row[0]) for row in await conn.exec_driver_sql("SELECT id FROM supervisor.enterprise LIMIT 200")]
    finally:
        await engine.dispose()
    headers = _bearer(key, ["city_admin"])
    return Workload(
        "supervisor",
        "supervisor_service.entrypoints.api",
        "SUPERVISOR_",
        [
            Kind("list of 20", 80, lambda c, i: c.get("/api/v1/enterprises", {"limit": 20}, headers)),
            Kind("get", 20, _get_one("/api/v1/enterprises", ids, headers)),
        ],
    )


async def reporting_workload(stack: BenchStack, key: bytes) -> Workload:
    """70% the year's statistics, 30% the breakdown per township (pre-aggregated counters)."""
    headers = _bearer(key, ["city_admin"])
    period = {"period": "year", "date": "2026-06-01"}
    return Workload(
        "reporting",
        "reporting_service.entrypoints.api",
        "REPORTING_",
        [
            Kind("statistics", 70, lambda c, i: c.get("/api/v1/statistics", period, headers)),
            Kind(
                "breakdown",
                30,
                lambda c, i: c.get("/api/v1/statistics/breakdown", {**period, "by": "township"}, headers),
            ),
        ],
    )


WORKLOADS = {
    "hazard": hazard_workload,
    "enforcement": enforcement_workload,
    "supervisor": supervisor_workload,
    "reporting": reporting_workload,
}


def _dsn(stack: BenchStack) -> str:
    return stack.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def ladder(
    apis: list[Spawned], kinds: list[Kind], seconds: float, floor: dict[int, Step] | None, database: BenchStack | None
) -> dict[int, Step]:
    """A warm-up, then one step at each concurrency, each printed."""
    await measure(apis, kinds, 4, min(seconds, 3.0))
    steps = {}
    for concurrency in CONCURRENCY:
        steps[concurrency] = step = await measure(apis, kinds, concurrency, seconds, database)
        report(concurrency, step, floor[concurrency] if floor else None)
    return steps


async def replicas(stack: BenchStack, workload: Workload, seconds: float, rounds: int, in_flight: int) -> None:
    """One replica against two, the same in-flight count split evenly, in alternating rounds."""
    print(f"\n{workload.name}: one replica vs two, {in_flight} in flight, {rounds} rounds of {seconds:g} s")
    async with contextlib.AsyncExitStack() as running:
        apis = [
            await running.enter_async_context(service_api(workload.module, workload.prefix, stack)) for _ in range(2)
        ]
        await measure(apis, workload.kinds, in_flight, min(seconds, 3.0))
        rates: dict[int, list[float]] = {1: [], 2: []}
        for n in range(rounds):
            for count in (1, 2):
                step = await measure(apis[:count], workload.kinds, in_flight, seconds, stack)
                rates[count].append(step.answered / step.seconds)
                errors = sum(step.errors.values())
                print(f"  round {n + 1}, x{count}: {rates[count][-1]:7.1f} rps  errors {errors}  {_cpu(step)}")
    one, two = sum(rates[1]) / rounds, sum(rates[2]) / rounds
    print(f"  mean x1 {one:.1f} rps, x2 {two:.1f} rps: ratio {two / one:.2f}")


async def run(stack: BenchStack, services: list[str], seconds: float, rounds: int, replica_in_flight: int) -> None:
    """The floor, each service's ladder, then the replicas."""
    key = ensure_signing_key(stack.key_file)
    print(f"mixed load, {seconds:g} s per step, {psutil.cpu_count()} cores ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    print("bare FastAPI (floor): 70% list of 20, 10% get, 20% create, from memory")
    async with bare_process() as bare:
        floor = await ladder([bare], bare_kinds(), seconds, None, None)
    workloads = {}
    for name in services:
        workloads[name] = workload = await WORKLOADS[name](stack, key)
        print(f"\n{name}: {', '.join(f'{kind.weight}% {kind.name}' for kind in workload.kinds)}")
        async with service_api(workload.module, workload.prefix, stack) as api:
            await ladder([api], workload.kinds, seconds, floor, stack)
    if "hazard" in workloads and rounds:
        await replicas(stack, workloads["hazard"], seconds, rounds, replica_in_flight)


def main() -> None:
    """Parse the options and run on a fresh embedded stack."""
    parser = argparse.ArgumentParser(prog="python -m bench.mixed_load", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per step (default %(default)s)")
    parser.add_argument("--services", default=",".join(WORKLOADS), help="comma-separated (default: all four)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of one vs two replicas (0: skip)")
    parser.add_argument("--replica-in-flight", type=int, default=16, help="in flight for the replica rounds")
    args = parser.parse_args()
    services = [name.strip() for name in args.services.split(",") if name.strip()]
    with embedded_stack() as stack:
        for name in services:
            upgrade(f"{name}_service", stack.database_url)
        asyncio.run(run(stack, services, args.duration, args.rounds, args.replica_in_flight))


if __name__ == "__main__":
    main()
