"""Hazard service: creation through the HTTP API, and filtered lists at 1,000,000 hazards.

1. Hazard creation through POST /api/v1/hazards at a fixed concurrency, against one replica of the API and
   against one replica per core (how the autoscaler grows it: a uvicorn worker is one process on one core),
   the load spread evenly. Several rounds, since the shared host's speed drifts; prints each round's rate and
   the median, and the requests' latency over all rounds.
2. Hazards bulk-loaded with INSERT ... SELECT generate_series, then filtered lists through the API
   (target: p99 under 50 ms).

The bench drives the service only over HTTP; the SQL it runs itself (seeding enterprises, the bulk load) is
its own.

Run: .venv/bin/python -m bench.hazard_create [--rounds 7 --round 1000 --hazards 1000000 --requests 400]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from bench.common import (
    BenchStack,
    LoadClient,
    embedded_stack,
    run_concurrently,
    service_process,
    summary_ms,
    timed_calls,
)
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

CONCURRENCY = 16
ENTERPRISES = 2000
Create = Callable[[int], Awaitable[None]]
# One replica, then one per core: a uvicorn worker is one process on one core, and the autoscaler adds replicas.
_REPLICAS = sorted({1, os.cpu_count() or 1})
TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]


@dataclass(frozen=True)
class Sizes:
    """How much the bench measures."""

    rounds: int = 7
    round: int = 1000
    hazards: int = 1_000_000
    requests: int = 400


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def seed_enterprises(conn: asyncpg.Connection) -> list[uuid.UUID]:
    """Enterprises in the hazard service's read model, as its consumer would have stored them; their ids."""
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


def hazard_body(enterprise_id: uuid.UUID, i: int) -> dict[str, Any]:
    """The body of the `i`th hazard report at an enterprise."""
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


def _poster(
    clients: list[LoadClient], enterprises: list[uuid.UUID], headers: dict[str, str], latencies: list[float]
) -> Create:
    """Creation through the API, the requests spread evenly over the replicas' clients as a Service spreads them;
    each request's time goes into `latencies`."""

    async def create(i: int) -> None:
        started = time.perf_counter()
        status, body = await clients[i % len(clients)].post_json(
            "/api/v1/hazards", hazard_body(enterprises[i % len(enterprises)], i), headers
        )
        latencies.append(time.perf_counter() - started)
        if status != 201:
            raise RuntimeError(f"create answered {status}: {body[:300]!r}")

    return create


@contextlib.asynccontextmanager
async def _api_creators(
    stack: BenchStack, enterprises: list[uuid.UUID], headers: dict[str, str]
) -> AsyncIterator[dict[int, tuple[Create, list[float]]]]:
    """Creation through each number of replicas in `_REPLICAS` (the first replicas of the largest set), each with
    the list its requests' latencies go into."""
    async with contextlib.AsyncExitStack() as running:
        bases = [await running.enter_async_context(api_process(stack)) for _ in range(max(_REPLICAS))]
        creators = {}
        for replicas in _REPLICAS:
            shares = zip(bases, _shares(CONCURRENCY, replicas), strict=False)
            clients = [await running.enter_async_context(LoadClient(base, n)) for base, n in shares]
            latencies: list[float] = []
            creators[replicas] = (_poster(clients, enterprises, headers, latencies), latencies)
        yield creators


async def _creation(stack: BenchStack, sizes: Sizes, enterprises: list[uuid.UUID], headers: dict[str, str]) -> None:
    """Rounds of API creation with each number of replicas in turn (the shared host's speed drifts, so each
    round measures every replica count once); the median round's rate is the figure."""
    print(f"hazard creation through the API, concurrency {CONCURRENCY}, {sizes.rounds} rounds of {sizes.round}", end="")
    print(f" ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    async with _api_creators(stack, enterprises, headers) as apis:
        for create, latencies in apis.values():
            await run_concurrently(200, CONCURRENCY, create)  # warm-up: every pooled connection prepares
            latencies.clear()
        rates: dict[int, list[float]] = {replicas: [] for replicas in apis}
        for n in range(1, sizes.rounds + 1):
            line = f"  round {n}:"
            for replicas, (create, _) in apis.items():
                rate = sizes.round / await run_concurrently(sizes.round, CONCURRENCY, create)
                rates[replicas].append(rate)
                line += f"   API x{replicas} {rate:5.0f}/s"
            print(line)
    for replicas, measured in rates.items():
        print(f"  API x{replicas}: median {statistics.median(measured):.0f}/s", end="")
        print(f" (rounds {min(measured):.0f}-{max(measured):.0f}/s); latency {summary_ms(apis[replicas][1])}")


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


async def _bulk_load(url: str, hazards: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        existing = await conn.fetchval("SELECT count(*) FROM hazard.hazard")
        missing = hazards - existing
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


async def _list_latency(
    stack: BenchStack, headers: dict[str, str], enterprises: list[uuid.UUID], requests: int
) -> None:
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
            print(f"  {name:48s} {summary_ms(await timed_calls(requests, op))}")

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


def _sizes() -> Sizes:
    defaults = Sizes()
    parser = argparse.ArgumentParser(prog="python -m bench.hazard_create", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=defaults.rounds, help="creation rounds (default %(default)s)")
    parser.add_argument("--round", type=int, default=defaults.round, help="hazards per round (default %(default)s)")
    parser.add_argument("--hazards", type=int, default=defaults.hazards, help="hazards to list (default %(default)s)")
    parser.add_argument("--requests", type=int, default=defaults.requests, help="list requests (default %(default)s)")
    args = parser.parse_args()
    return Sizes(rounds=args.rounds, round=args.round, hazards=args.hazards, requests=args.requests)


def main() -> None:
    """Run both measurements on a fresh embedded stack."""
    sizes = _sizes()
    with embedded_stack() as stack:
        upgrade("hazard_service", stack.database_url)
        asyncio.run(_run(stack, sizes))


async def _run(stack: BenchStack, sizes: Sizes) -> None:
    """Measure creation, then load the hazards and measure the lists."""
    key = ensure_signing_key(stack.key_file)
    admin = {
        "Authorization": "Bearer "
        + mint_token(key, subject="bench-admin", roles=["city_admin"], jurisdictions=["431281000000"])
    }
    url = _asyncpg_url(stack.database_url)
    conn = await asyncpg.connect(url)
    try:
        enterprises = await seed_enterprises(conn)
    finally:
        await conn.close()

    await _creation(stack, sizes, enterprises, admin)

    await _bulk_load(url, sizes.hazards)
    print(
        f"filtered lists at {sizes.hazards:,} hazards, {sizes.requests} sequential requests each (target p99 < 50 ms)"
    )
    await _list_latency(stack, admin, enterprises, sizes.requests)


if __name__ == "__main__":
    main()
