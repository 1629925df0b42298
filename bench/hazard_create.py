"""Hazard service: creation through the API vs the same SQL with asyncpg, and a filtered list at 1,000,000 hazards.

1. Hazard creation through the HTTP API against the same statements the use case runs (read the enterprise,
   insert the hazard and its timeline entry, then the outbox event, audit entry and relay wake-up in one
   statement), imported from the service and executed directly with asyncpg, one transaction per hazard, at the
   same concurrency. The API runs as one replica, and as one replica per core (how the autoscaler grows it:
   a uvicorn worker is one process on one core), the load spread evenly. Seven rounds, each API measurement
   between two raw ones, since the shared host's speed drifts; prints each round's rates and the median ratio
   (target: the API at half the raw rate or better).
2. 1,000,000 hazards bulk-loaded with INSERT ... SELECT generate_series, then filtered lists through the API
   (target: p99 under 50 ms).

Run: .venv/bin/python -m bench.hazard_create
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import httpx

from bench.common import (
    BenchStack,
    LoadClient,
    RawEventWrite,
    embedded_stack,
    run_concurrently,
    service_process,
    summary_ms,
    timed_calls,
)
from hazard_service.db import DATABASE as HAZARD_DATABASE
from hazard_service.enterprises.repository import REPORTING_FACTS
from hazard_service.hazards.repository import (
    INSERT_HAZARD_ON_DRIVER,
    INSERT_TIMELINE_ENTRY_ON_DRIVER,
    new_hazard_row,
    timeline_entry,
)
from shared.auth.principal import Principal
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

CONCURRENCY = 16
ROUNDS = 7
ROUND = 1000
HAZARDS = 1_000_000
ENTERPRISES = 2000
REQUESTS = 400
Create = Callable[[int], Awaitable[None]]
# One replica, then one per core: a uvicorn worker is one process on one core, and the autoscaler adds replicas.
_REPLICAS = sorted({1, os.cpu_count() or 1})
TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _seed_enterprises(conn: asyncpg.Connection) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(ENTERPRISES)]
    await conn.copy_records_to_table(
        "enterprise_view",
        schema_name="hazard",
        records=[
            (eid, f"企业{n:05d}", "91431281MA4L000000", "3311", TOWNSHIPS[n % len(TOWNSHIPS)], 20, "operating", 1)
            for n, eid in enumerate(ids)
        ],
        columns=[
            "enterprise_id",
            "name",
            "credit_code",
            "industry_code",
            "township_code",
            "employee_count",
            "status",
            "aggregate_version",
        ],
    )
    return ids


def _body(enterprise_id: uuid.UUID, i: int) -> dict[str, Any]:
    return {
        "enterprise_id": str(enterprise_id),
        "grade": "general",
        "source": "department_inspection",
        "description": f"基准测试隐患 {i}",
        "reported_on": "2024-03-01",
    }


def _shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def api_process(stack: BenchStack, connections: int = CONCURRENCY) -> contextlib.AbstractAsyncContextManager[str]:
    """One replica of the hazard API as it is deployed: its own process, one uvicorn worker, a database
    connection for each request it is sent at once."""
    return service_process("hazard_service.entrypoints.api", "HAZARD_", stack, db_pool_size=str(connections))


def _poster(clients: list[LoadClient], enterprises: list[uuid.UUID], headers: dict[str, str]) -> Create:
    """Creation through the API, the requests spread evenly over the replicas' clients as a Service spreads them."""

    async def create(i: int) -> None:
        status, body = await clients[i % len(clients)].post_json(
            "/api/v1/hazards", _body(enterprises[i % len(enterprises)], i), headers
        )
        if status != 201:
            raise RuntimeError(f"create answered {status}: {body[:300]!r}")

    return create


@contextlib.asynccontextmanager
async def _api_creators(
    stack: BenchStack, enterprises: list[uuid.UUID], headers: dict[str, str]
) -> AsyncIterator[dict[int, Create]]:
    """Creation through each number of replicas in `_REPLICAS` (the first replicas of the largest set)."""
    async with contextlib.AsyncExitStack() as running:
        bases = [await running.enter_async_context(api_process(stack)) for _ in range(max(_REPLICAS))]
        creators = {}
        for replicas in _REPLICAS:
            shares = zip(bases, _shares(CONCURRENCY, replicas), strict=False)
            clients = [await running.enter_async_context(LoadClient(base, n)) for base, n in shares]
            creators[replicas] = _poster(clients, enterprises, headers)
        yield creators


EVENT_WRITE = RawEventWrite.of(HAZARD_DATABASE)
BENCH_ACTOR = Principal(subject="bench", roles=frozenset({"city_admin"}), name="bench")


async def _keep_session(connection: asyncpg.Connection) -> None:
    """A pool connection needs no reset between bench transactions (each one commits)."""


@contextlib.asynccontextmanager
async def _raw_creator(url: str, enterprises: list[uuid.UUID]) -> AsyncIterator[Create]:
    """The statements POST /api/v1/hazards runs on its driver connection (the service's own compiled SQL),
    with the same values, one transaction per hazard."""
    # No reset query when a connection goes back (asyncpg's default sends one): the API's pool sends none either,
    # so both run exactly the same statements.
    pool = await asyncpg.create_pool(url, min_size=CONCURRENCY, max_size=CONCURRENCY, reset=_keep_session)
    assert pool is not None

    async def create(i: int) -> None:
        enterprise_id = enterprises[i % len(enterprises)]
        hazard_id = uuid.uuid4()
        async with pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(REPORTING_FACTS.sql, *REPORTING_FACTS.args({"enterprise_id": enterprise_id}))
            assert row is not None
            hazard = new_hazard_row(
                id=hazard_id,
                enterprise_id=enterprise_id,
                enterprise_name=row["name"],
                township_code=row["township_code"],
                industry_code=row["industry_code"],
                grade="general",
                source="department_inspection",
                description=f"基准测试隐患 {i}",
                reporter_name="bench",
                reporting_unit="yjj",
                reported_by="bench",
                reported_on=date(2024, 3, 1),
            )
            await conn.execute(INSERT_HAZARD_ON_DRIVER.sql, *INSERT_HAZARD_ON_DRIVER.args(hazard))
            entry = timeline_entry(BENCH_ACTOR, hazard_id, 1, "report", from_status=None, to_status="reported")
            await conn.execute(INSERT_TIMELINE_ENTRY_ON_DRIVER.sql, *INSERT_TIMELINE_ENTRY_ON_DRIVER.args(entry))
            await conn.execute(
                EVENT_WRITE.sql,
                *EVENT_WRITE.args(
                    aggregate_type="hazard",
                    aggregate_id=str(hazard_id),
                    event_type="hazard.reported",
                    topic="hazard.events",
                    data=_body(enterprise_id, i),
                    path="/api/v1/hazards",
                ),
            )

    try:
        yield create
    finally:
        await pool.close()


BULK_LOAD = """
INSERT INTO hazard.hazard (id, enterprise_id, enterprise_name, township_code, industry_code, grade, source,
    campaign_codes, description, reported_on, status, rectification_deadline, listed, listing_level,
    deferral_pending, overdue, was_overdue, version, created_at, updated_at)
SELECT gen_random_uuid(),
       e.enterprise_id, e.name, e.township_code, e.industry_code,
       CASE WHEN g % 20 = 0 THEN 'major' ELSE 'general' END,
       (ARRAY['self_report','department_inspection','leader_inspection','resident_supervisor','complaint',
              'referral'])[1 + g % 6],
       CASE WHEN g % 7 = 0 THEN ARRAY['major_hazard_campaign_2023'] ELSE '{}'::varchar[] END,
       'bulk hazard ' || g,
       date '2021-01-01' + (g % 1400),
       (ARRAY['reported','rectifying','rectified','verified','closed','closed','closed','closed'])[1 + g % 8],
       date '2021-01-01' + (g % 1400) + 30,
       g % 60 = 0, CASE WHEN g % 60 = 0 THEN 'city_government' END,
       false, g % 50 = 0, g % 50 = 0, 1, now(), now()
FROM generate_series(1, $1) AS g
JOIN (SELECT row_number() OVER (ORDER BY enterprise_id) - 1 AS n, * FROM hazard.enterprise_view) e
  ON e.n = g % $2
"""


async def _bulk_load(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        existing = await conn.fetchval("SELECT count(*) FROM hazard.hazard")
        missing = HAZARDS - existing
        count = await conn.fetchval("SELECT count(*) FROM hazard.enterprise_view")
        chunk = 100_000
        while missing > 0:
            await conn.execute(BULK_LOAD, min(chunk, missing), count)
            missing -= chunk
        await conn.execute("ANALYZE hazard.hazard")
        total = await conn.fetchval("SELECT count(*) FROM hazard.hazard")
        print(f"bulk-loaded to {total:,} hazards in {time.perf_counter() - started:.1f} s")
    finally:
        await conn.close()


async def _list_latency(stack: BenchStack, headers: dict[str, str], enterprises: list[uuid.UUID]) -> None:
    async with api_process(stack) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def get(params: dict[str, Any]) -> None:
            response = await client.get("/api/v1/hazards", params=params, headers=headers)
            response.raise_for_status()

        cases: list[tuple[str, Any]] = [
            (
                "township + status + grade, newest first (50)",
                lambda i: get({"township_code": TOWNSHIPS[i % 20], "status": "rectifying", "grade": "general"}),
            ),
            ("overdue, newest first (50)", lambda i: get({"overdue": "true"})),
            ("listed major hazards (50)", lambda i: get({"listed": "true", "grade": "major"})),
            (
                "campaign + reported date range (50)",
                lambda i: get(
                    {
                        "campaign_code": "major_hazard_campaign_2023",
                        "reported_from": "2022-01-01",
                        "reported_to": "2022-06-30",
                    }
                ),
            ),
            ("one enterprise's hazards (50)", lambda i: get({"enterprise_id": str(enterprises[i % len(enterprises)])})),
            ("source + deadline sort (50)", lambda i: get({"source": "complaint", "sort": "deadline"})),
        ]
        for name, op in cases:
            await timed_calls(20, op)
            print(f"  {name:48s} {summary_ms(await timed_calls(REQUESTS, op))}")

        second_page: list[float] = []
        for i in range(100):
            first = await client.get("/api/v1/hazards", params={"township_code": TOWNSHIPS[i % 20]}, headers=headers)
            cursor = first.json()["next_cursor"]
            started = time.perf_counter()
            (await client.get(
                "/api/v1/hazards", params={"township_code": TOWNSHIPS[i % 20], "cursor": cursor}, headers=headers
            )).raise_for_status()  # fmt: skip
            second_page.append(time.perf_counter() - started)
        print(f"  {'township, next page by cursor (50)':48s} {summary_ms(second_page)}")


def main() -> None:
    """Run both measurements on a fresh embedded stack."""
    with embedded_stack() as stack:
        upgrade("hazard_service", stack.database_url)
        asyncio.run(_run(stack))


async def _creation(stack: BenchStack, url: str, enterprises: list[uuid.UUID], headers: dict[str, str]) -> None:
    """Rounds of API creation, each between two raw measurements: the shared host's speed drifts by tens of
    percent within a minute, so each round's ratio compares the API with the mean of the raw rates measured
    just before and just after it, and the median round is the figure."""
    print(f"hazard creation, concurrency {CONCURRENCY}, {ROUNDS} rounds of {ROUND} hazards each way", end="")
    print(f" ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    print("  raw: asyncpg running the API's own statements, one transaction each; API: replicas of one uvicorn worker")
    print("  each round: API with each number of replicas, then raw; its ratio is against the raw before and after")
    async with _raw_creator(url, enterprises) as raw, _api_creators(stack, enterprises, headers) as apis:
        for create in (raw, *apis.values()):
            await run_concurrently(200, CONCURRENCY, create)  # warm-up: every pooled connection prepares
        ratios: dict[int, list[float]] = {replicas: [] for replicas in apis}
        raw_before = ROUND / await run_concurrently(ROUND, CONCURRENCY, raw)
        for n in range(1, ROUNDS + 1):
            api_rates = {replicas: ROUND / await run_concurrently(ROUND, CONCURRENCY, create)
                         for replicas, create in apis.items()}  # fmt: skip
            raw_after = ROUND / await run_concurrently(ROUND, CONCURRENCY, raw)
            raw_rate = (raw_before + raw_after) / 2
            line = f"  round {n}: raw {raw_before:5.0f}/s then {raw_after:5.0f}/s"
            for replicas, api_rate in api_rates.items():
                ratios[replicas].append(api_rate / raw_rate)
                line += f"   API x{replicas} {api_rate:5.0f}/s ratio {api_rate / raw_rate:.2f}"
            print(line)
            raw_before = raw_after
    for replicas, measured in ratios.items():
        print(f"  ratio API / raw with {replicas} replica(s): median {statistics.median(measured):.2f}", end="")
        print(f" (rounds {min(measured):.2f}-{max(measured):.2f}; target >= 0.50)")


async def _run(stack: BenchStack) -> None:
    """Measure creation, then load a million hazards and measure the lists."""
    key = ensure_signing_key(stack.key_file)
    admin = {
        "Authorization": "Bearer "
        + mint_token(key, subject="bench-admin", roles=["city_admin"], jurisdictions=["431281000000"])
    }
    url = _asyncpg_url(stack.database_url)
    conn = await asyncpg.connect(url)
    try:
        enterprises = await _seed_enterprises(conn)
    finally:
        await conn.close()

    await _creation(stack, url, enterprises, admin)

    await _bulk_load(url)
    print(f"filtered lists at {HAZARDS:,} hazards, {REQUESTS} sequential requests each (target p99 < 50 ms)")
    await _list_latency(stack, admin, enterprises)


if __name__ == "__main__":
    main()
