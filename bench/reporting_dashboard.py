"""Reporting benchmark, in one run:

1. rebuild speed: 1,000,000 hazards (reported, half of them also rectified) and 1,000,000
   enforcement events are written to the event log and replayed by the rebuild command's code
   into the live projections (events/s);
2. the dashboard query (every statistic of a year, city-wide) through the HTTP API against the
   same figures computed by aggregate SQL over the raw event history (p50/p99, speed-up);
3. event-to-visible latency at 500 events/s through the embedded broker and the worker
   (publish time -> the event's transaction committed, seen by a poller every 2 ms), once the
   database has been vacuumed after the rebuild.

The API and the worker run in their own processes, as deployed.

    .venv/bin/python -m bench.reporting_dashboard [--hazards N] [--enforcement N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench.common import embedded_stack, percentile, service_process, summary_ms
from reporting_service.projections.service import Projector
from reporting_service.rebuild.service import rebuild
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.contracts.envelope import new_envelope
from shared.contracts.hazard import HazardReportedV1
from shared.db.migrations import upgrade

TOWNSHIPS = [f"431281{c}000" for c in ("101", "102", "103", "104", "106", "107", "108", "202", "203", "204")]
DEPARTMENTS = ["yjj", "zjj", "jtj", "xfdd", "wjj", "jyj", "scjgj", "gxj"]
INDUSTRIES = ["08", "10", "26", "33", "47", "54", "61", "84", "85", "52"]
SOURCES = ["self_report", "department_inspection", "leader_inspection", "resident_supervisor", "complaint"]
YEAR = 2023

BASELINE_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (aggregate_id) envelope->'data' AS d
    FROM reporting.event_log WHERE aggregate_type = 'hazard'
    ORDER BY aggregate_id, aggregate_version DESC
), hazards AS (
    SELECT count(*) AS found,
           count(*) FILTER (WHERE d->>'status' IN ('rectified', 'verified', 'reviewed', 'closed')) AS rectified,
           count(*) FILTER (WHERE d->>'grade' = 'major') AS major_found,
           count(*) FILTER (WHERE d->>'source' = 'self_report') AS self_reported
    FROM latest WHERE d->>'reported_on' BETWEEN $1 AND $2 AND d->>'status' <> 'withdrawn'
), enforcement AS (
    SELECT count(*) FILTER (WHERE event_type = 'inspection.recorded') AS inspections,
           sum((envelope->'data'->>'persons_deployed')::int)
               FILTER (WHERE event_type = 'inspection.recorded') AS persons,
           sum((envelope->'data'->>'enterprises_checked')::int)
               FILTER (WHERE event_type = 'inspection.recorded') AS checks,
           count(*) FILTER (WHERE event_type IN ('case.filed', 'case.simplified_decided')) AS cases,
           sum((envelope->'data'->>'fine_fen')::bigint) FILTER (WHERE event_type = 'case.simplified_decided') AS fines
    FROM reporting.event_log
    WHERE aggregate_type IN ('inspection', 'penalty_case')
      AND coalesce(envelope->'data'->>'inspected_on', envelope->'data'->>'filed_on',
                   envelope->'data'->>'decided_on') BETWEEN $1 AND $2
)
SELECT * FROM hazards, enforcement
"""


def _envelope(
    event_type: str, aggregate_type: str, aggregate_id: str, version: int, on: date, data: dict[str, Any], source: str
) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "event_version": 1,
        "source": source,
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "aggregate_version": version,
        "occurred_at": datetime(on.year, on.month, on.day, 4, tzinfo=UTC).isoformat(),
        "correlation_id": "bench",
        "actor": "bench",
        "jurisdiction": data.get("township_code"),
        "data": data,
    }


def history(hazards: int, enforcement: int, seed: int = 1) -> Any:
    """Yield (topic, envelope dict) of the generated history."""
    rng = random.Random(seed)
    start = date(YEAR, 1, 1)
    for i in range(hazards):
        on = start + timedelta(days=rng.randrange(365))
        facts = {
            "hazard_id": f"hz{i}",
            "enterprise_id": f"e{rng.randrange(5000)}",
            "township_code": rng.choice(TOWNSHIPS),
            "industry_code": rng.choice(INDUSTRIES),
            "department_code": rng.choice(DEPARTMENTS),
            "grade": "major" if rng.random() < 0.01 else "general",
            "source": rng.choice(SOURCES),
            "campaign_codes": ["major_hazard_campaign_2023"] if rng.random() < 0.05 else [],
            "reported_on": on.isoformat(),
        }
        yield (
            "hazard.events",
            _envelope(
                "hazard.reported",
                "hazard",
                f"hz{i}",
                1,
                on,
                {**facts, "status": "reported", "description": "d"},
                "hazard-service",
            ),
        )
        if rng.random() < 0.5:
            done = min(on + timedelta(days=rng.randrange(10)), date(YEAR, 12, 31))
            status = "reviewed" if facts["grade"] == "major" else "rectified"
            yield (
                "hazard.events",
                _envelope(
                    f"hazard.{'reviewed' if status == 'reviewed' else 'rectified'}",
                    "hazard",
                    f"hz{i}",
                    2,
                    done,
                    {**facts, "status": status, "rectified_on": done.isoformat(), "reviewed_on": done.isoformat()},
                    "hazard-service",
                ),
            )
    for i in range(enforcement):
        on = start + timedelta(days=rng.randrange(365))
        township, department = rng.choice(TOWNSHIPS), rng.choice(DEPARTMENTS)
        if i % 10 < 7:
            yield (
                "enforcement.events",
                _envelope(
                    "inspection.recorded",
                    "inspection",
                    f"in{i}",
                    1,
                    on,
                    {
                        "inspection_id": f"in{i}",
                        "kind": rng.choice(["routine", "joint", "leader_led"]),
                        "unit_type": "department",
                        "unit_code": department,
                        "department_code": department,
                        "township_code": township,
                        "inspected_on": on.isoformat(),
                        "persons_deployed": rng.randint(2, 6),
                        "enterprise_ids": [],
                        "enterprises_checked": rng.randint(1, 4),
                    },
                    "enforcement-service",
                ),
            )
        elif i % 10 < 9:
            yield (
                "enforcement.events",
                _envelope(
                    "case.simplified_decided",
                    "penalty_case",
                    f"sc{i}",
                    1,
                    on,
                    {
                        "case_id": f"sc{i}",
                        "case_number": "s",
                        "party_type": "unit",
                        "party_name": "p",
                        "township_code": township,
                        "unit_type": "township",
                        "unit_code": township,
                        "delegated": True,
                        "delegated_township_code": township,
                        "decided_on": on.isoformat(),
                        "warning": False,
                        "fine_fen": rng.choice([20_000, 100_000]),
                    },
                    "enforcement-service",
                ),
            )
        else:
            yield (
                "enforcement.events",
                _envelope(
                    "case.filed",
                    "penalty_case",
                    f"gc{i}",
                    1,
                    on,
                    {
                        "case_id": f"gc{i}",
                        "case_number": "g",
                        "procedure": "general",
                        "party_type": "unit",
                        "party_name": "p",
                        "township_code": township,
                        "unit_type": "department",
                        "unit_code": department,
                        "filed_on": on.isoformat(),
                        "rule_set": "2021_law_sector_rule",
                        "decide_by": on.isoformat(),
                        "cause": "c",
                        "source": "inspection",
                    },
                    "enforcement-service",
                ),
            )


async def load_event_log(conn: asyncpg.Connection, hazards: int, enforcement: int) -> int:
    """COPY the generated history into the event log; returns the number of events."""
    columns = [
        "event_id",
        "topic",
        "event_type",
        "event_version",
        "aggregate_type",
        "aggregate_id",
        "aggregate_version",
        "occurred_at",
        "envelope",
    ]
    batch: list[tuple[Any, ...]] = []
    total = 0
    for topic, e in history(hazards, enforcement):
        batch.append(
            (
                uuid.UUID(e["event_id"]),
                topic,
                e["event_type"],
                1,
                e["aggregate_type"],
                e["aggregate_id"],
                e["aggregate_version"],
                datetime.fromisoformat(e["occurred_at"]),
                json.dumps(e),
            )
        )
        if len(batch) == 50_000:
            await conn.copy_records_to_table("event_log", schema_name="reporting", records=batch, columns=columns)
            total += len(batch)
            batch = []
    if batch:
        await conn.copy_records_to_table("event_log", schema_name="reporting", records=batch, columns=columns)
        total += len(batch)
    await conn.execute("ANALYZE reporting.event_log")
    return total


async def dashboard(base_url: str, headers: dict[str, str], runs: int) -> tuple[list[float], dict[str, Any]]:
    """Time the year dashboard through the API."""
    params = {"period": "year", "date": f"{YEAR}-06-01"}
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
        body = (await client.get("/api/v1/statistics", params=params)).json()
        for _ in range(20):
            await client.get("/api/v1/statistics", params=params)
        for _ in range(runs):
            started = time.perf_counter()
            response = await client.get("/api/v1/statistics", params=params)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
    return samples, body


async def latency(stack: Any, conn: asyncpg.Connection, rate: int, seconds: int) -> list[float]:
    """Publish hazard events at `rate`/s to the worker running in its own process (as deployed, with a
    10 ms fetch wait); the delay until each one's transaction is visible."""
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    last_seq = int(await conn.fetchval("SELECT coalesce(max(seq), 0) FROM reporting.event_log"))
    done = asyncio.Event()

    async def poll() -> None:
        nonlocal last_seq
        while not done.is_set():
            rows = await conn.fetch("SELECT seq, event_id FROM reporting.event_log WHERE seq > $1", last_seq)
            now = time.perf_counter()
            for row in rows:
                seen.setdefault(str(row["event_id"]), now)
                last_seq = max(last_seq, row["seq"])
            await asyncio.sleep(0.002)

    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", linger_ms=0)
    await producer.start()
    async with service_process(
        "reporting_service.entrypoints.worker",
        "REPORTING_",
        stack,
        api=False,
        kafka_fetch_max_wait_ms="10",
        consumer_batch_size="500",
    ):
        poller = asyncio.create_task(poll())
        # Warm-up: a freshly joined group (on the embedded broker) stalls a few seconds before its
        # first fetch; measure the steady state, after the warm-up events are visible.
        warm_ids = []
        for i in range(200):
            payload = HazardReportedV1(
                hazard_id=f"warm{i}",
                enterprise_id="e",
                township_code=TOWNSHIPS[0],
                grade="general",
                source="self_report",
                description="d",
                reported_on=f"{YEAR + 1}-01-01",
            )
            envelope = new_envelope(
                payload,
                source="hazard-service",
                aggregate_id=f"warm{i}",
                aggregate_version=1,
                actor="bench",
                jurisdiction=None,
            )
            warm_ids.append(str(envelope.event_id))
            await producer.send(
                "hazard.events",
                envelope.model_dump_json().encode(),
                key=envelope.aggregate_id.encode(),
                headers=envelope.headers(),
            )
        warm_started = time.perf_counter()
        while not all(i in seen for i in warm_ids):
            if time.perf_counter() - warm_started > 120:
                raise SystemExit("the worker applied none of the warm-up events within 120 s")
            await asyncio.sleep(0.05)
        print(f"warm-up: 200 events visible {time.perf_counter() - warm_started:.1f} s after they were sent")
        total = rate * seconds
        started = time.perf_counter()
        for i in range(total):
            on = date(YEAR + 1, 1, 1) + timedelta(days=i % 300)
            payload = HazardReportedV1(
                hazard_id=f"lat{i}",
                enterprise_id="e",
                township_code=TOWNSHIPS[i % 10],
                grade="general",
                source="self_report",
                description="d",
                reported_on=on.isoformat(),
            )
            envelope = new_envelope(
                payload,
                source="hazard-service",
                aggregate_id=f"lat{i}",
                aggregate_version=1,
                actor="bench",
                jurisdiction=None,
            )
            target = started + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[str(envelope.event_id)] = time.perf_counter()
            await producer.send(
                "hazard.events",
                envelope.model_dump_json().encode(),
                key=envelope.aggregate_id.encode(),
                headers=envelope.headers(),
            )
        deadline = time.perf_counter() + 30
        while len(seen.keys() & sent.keys()) < len(sent) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        done.set()
        await poller
    await producer.stop()
    return [seen[k] - sent[k] for k in sent if k in seen]


def main(hazards: int, enforcement: int) -> None:
    """Start the embedded stack and run the measurements."""
    with embedded_stack(topic_partitions=4) as stack:
        upgrade("reporting_service", stack.database_url)
        asyncio.run(measure(stack, hazards, enforcement))


async def measure(stack: Any, hazards: int, enforcement: int) -> None:
    """Every measurement, printed as it completes."""
    conn = await asyncpg.connect(stack.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        t0 = time.perf_counter()
        events = await load_event_log(conn, hazards, enforcement)
        print(
            f"history: {hazards:,} hazards + {enforcement:,} enforcement events = {events:,} events "
            f"written to the event log in {time.perf_counter() - t0:.1f} s"
        )
        rebuild_conn = await asyncpg.connect(stack.database_url.replace("postgresql+asyncpg://", "postgresql://"))
        report = await rebuild(rebuild_conn, Projector(), batch_size=5000, replace=True)
        await rebuild_conn.close()
        print(
            f"rebuild: {report.events:,} events in {report.seconds:.1f} s"
            f" = {report.events_per_second:,.0f} events/s"
            f" (replaced live projections: {report.replaced}; rows {report.rows})"
        )
        # Settle the database after the bulk rebuild, as autovacuum eventually would: the 2.5 million rows just
        # written would otherwise be vacuumed during the latency run below and measured as event latency.
        started = time.perf_counter()
        await conn.execute("VACUUM (ANALYZE)")
        print(f"VACUUM (ANALYZE) after the rebuild: {time.perf_counter() - started:.1f} s")

        baseline: list[float] = []
        for _ in range(3):
            started = time.perf_counter()
            raw = await conn.fetchrow(BASELINE_SQL, f"{YEAR}-01-01", f"{YEAR}-12-31")
            baseline.append(time.perf_counter() - started)
        assert raw is not None
        print(f"aggregate SQL over the raw event history (3 runs): {summary_ms(baseline)}")

        headers = {
            "Authorization": "Bearer "
            + mint_token(ensure_signing_key(stack.key_file), subject="bench", roles=["leader"])
        }
        async with service_process("reporting_service.entrypoints.api", "REPORTING_", stack) as base_url:
            samples, body = await dashboard(base_url, headers, runs=500)
        print(f"dashboard through the API (year, city-wide, every statistic): {summary_ms(samples)}")
        speedup = statistics.median(baseline) / statistics.median(samples)
        print(
            f"speed-up (median raw SQL / median API): {speedup:,.0f}x; raw SQL median / API p99: "
            f"{statistics.median(baseline) / percentile(samples, 99):,.0f}x"
        )
        same = (
            body["hazards"]["found"] == raw["found"]
            and body["hazards"]["rectified"] == raw["rectified"]
            and body["enforcement"]["inspections"] == raw["inspections"]
            and body["enforcement"]["persons_deployed"] == raw["persons"]
            and body["enforcement"]["enterprise_checks"] == raw["checks"]
            and body["enforcement"]["cases_filed"] == raw["cases"]
            and body["enforcement"]["simplified_fines_fen"] == raw["fines"]
        )
        print(
            f"API figures equal the raw SQL figures: {same} (found {raw['found']:,},"
            f" rectified {raw['rectified']:,},"
            f" inspections {raw['inspections']:,}, cases {raw['cases']:,})"
        )

        delays = await latency(stack, conn, rate=500, seconds=20)
        print(f"event-to-visible at 500 events/s (fetch wait 10 ms): {summary_ms(delays)}")
    finally:
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--enforcement", type=int, default=1_000_000)
    args = parser.parse_args()
    main(args.hazards, args.enforcement)
