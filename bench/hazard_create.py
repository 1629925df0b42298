"""Hazard service: creation through the API vs the same SQL with asyncpg, and a filtered list at 1,000,000 hazards.

1. Hazard creation through the HTTP API (uvicorn, one worker) against the same statements the use case runs
   (read the enterprise, insert the hazard and its timeline entry, then the outbox event, audit entry and relay
   wake-up in one statement) executed directly with asyncpg, one transaction per hazard, at the same
   concurrency. Prints both rates and the ratio (target: the API at half the raw rate or better).
2. 1,000,000 hazards bulk-loaded with INSERT ... SELECT generate_series, then filtered lists through the API
   (target: p99 under 50 ms).

Run: .venv/bin/python -m bench.hazard_create
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from bench.common import (
    BenchStack,
    RawEventWrite,
    embedded_stack,
    run_concurrently,
    service_process,
    summary_ms,
    timed_calls,
)
from hazard_service.db import DATABASE as HAZARD_DATABASE
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

CONCURRENCY = 16
CREATES = 3000
HAZARDS = 1_000_000
ENTERPRISES = 2000
REQUESTS = 400
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


def api_process(stack: BenchStack) -> contextlib.AbstractAsyncContextManager[str]:
    """The hazard API as it is deployed: its own process, one uvicorn worker."""
    return service_process("hazard_service.entrypoints.api", "HAZARD_", stack, db_pool_size=str(CONCURRENCY))


async def _api_rate(stack: BenchStack, enterprises: list[uuid.UUID], headers: dict[str, str]) -> float:
    async with (
        api_process(stack) as base,
        httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=CONCURRENCY)) as client,
    ):

        async def create(i: int) -> None:
            response = await client.post(
                "/api/v1/hazards", json=_body(enterprises[i % len(enterprises)], i), headers=headers
            )
            response.raise_for_status()

        await run_concurrently(100, CONCURRENCY, create)  # warm-up
        elapsed = await run_concurrently(CREATES, CONCURRENCY, create)
    return CREATES / elapsed


INSERT_HAZARD = """
INSERT INTO hazard.hazard (id, enterprise_id, enterprise_name, township_code, industry_code, grade, source,
    campaign_codes, description, reporter_name, reporting_unit, reported_by, reported_on, status, listed,
    deferral_pending, overdue, was_overdue, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, 'general', 'department_inspection', '{}', $6, NULL, 'yjj', 'bench', '2024-03-01',
    'reported', false, false, false, false, 1, now(), now())
"""
INSERT_TIMELINE = """
INSERT INTO hazard.hazard_timeline (hazard_id, hazard_version, action, from_status, to_status, actor, actor_roles,
    details, occurred_at) VALUES ($1, 1, 'report', NULL, 'reported', 'bench', '["department_officer"]', '{}', now())
"""
EVENT_WRITE = RawEventWrite.of(HAZARD_DATABASE)


async def _raw_rate(url: str, enterprises: list[uuid.UUID]) -> float:
    pool = await asyncpg.create_pool(url, min_size=CONCURRENCY, max_size=CONCURRENCY)
    assert pool is not None

    async def create(i: int) -> None:
        enterprise_id = enterprises[i % len(enterprises)]
        hazard_id = uuid.uuid4()
        async with pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT name, township_code, industry_code FROM hazard.enterprise_view WHERE enterprise_id = $1",
                enterprise_id,
            )
            assert row is not None
            await conn.execute(
                INSERT_HAZARD, hazard_id, enterprise_id, row["name"], row["township_code"], row["industry_code"],
                f"基准测试隐患 {i}",
            )  # fmt: skip
            await conn.execute(INSERT_TIMELINE, hazard_id)
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
        await run_concurrently(100, CONCURRENCY, create)
        elapsed = await run_concurrently(CREATES, CONCURRENCY, create)
    finally:
        await pool.close()
    return CREATES / elapsed


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

    print(f"hazard creation, {CREATES} hazards, concurrency {CONCURRENCY} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    raw = await _raw_rate(url, enterprises)
    api = await _api_rate(stack, enterprises, admin)
    print(f"  raw asyncpg (same SQL, one transaction each): {raw:8.0f} hazards/s")
    print(f"  HTTP API (own process, 1 uvicorn worker):               {api:8.0f} hazards/s")
    print(f"  ratio API / raw: {api / raw:.2f}  (target >= 0.50)")

    await _bulk_load(url)
    print(f"filtered lists at {HAZARDS:,} hazards, {REQUESTS} sequential requests each (target p99 < 50 ms)")
    await _list_latency(stack, admin, enterprises)


if __name__ == "__main__":
    main()
