"""Enforcement case benchmark at 500,000 cases, in one run on the embedded stack.

1. Bulk-load the case table (and an enterprise read model) to `--cases` rows, then ANALYZE.
2. Case creation: POST /api/v1/cases over HTTP (uvicorn, auth, validation, unit of work with outbox,
   audit and case number) against the same statements sent directly with asyncpg in one transaction.
   Requests go through `LoadClient`, whose own CPU per request is small next to the API's (httpx's was not).
3. A filtered list: GET /api/v1/cases?township_code=..&stage=..&limit=50 (first page and the next page
   by cursor) against the same SELECT sent directly with asyncpg.
Prints p50/p99 of each and the ratio API / direct SQL. No thresholds are asserted.

Run: .venv/bin/python -m bench.enforcement_cases [--cases 500000] [--samples 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import date

import asyncpg

from bench.common import (
    BenchStack,
    LoadClient,
    RawEventWrite,
    embedded_stack,
    percentile,
    service_process,
    summary_ms,
)
from enforcement_service.db import DATABASE as ENFORCEMENT_DATABASE
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]
UNITS = ["yjj", "zjj", "jtj", "xfj", "zrj"]
STAGES = ["filed", "investigation", "notified", "decided", "served", "executed", "closed", "archived"]

CASE_COLUMNS = (
    "id, case_number, procedure, stage, party_type, party_name, enterprise_id, township_code, industry_code, "
    "unit_type, unit_code, delegated, delegated_township_code, delegation_id, cause, source, inspection_id, lead_id, "
    "rule_set, filed_on, decide_by, decide_extended, officers, proposed_items, legal_reviewed_on, "
    "collective_discussed_on, notified_on, hearing_request_by, hearing_requested_on, hearing_on, hearing_held_on, "
    "hearing_waived, outcome, decided_on, decision_number, items, fine_total_fen, service_by, served_on, pay_by, "
    "fine_paid_fen, late_charge_paid_fen, court_enforcement_requested_on, court, executed_on, execution_how, "
    "closed_on, archived_on, archive_number, created_by, version, created_at, updated_at"
)

EVENT_WRITE = RawEventWrite.of(ENFORCEMENT_DATABASE)

LIST_SQL = (
    f"SELECT {CASE_COLUMNS} FROM enforcement.penalty_case "
    "WHERE township_code = $1 AND stage = $2 {after}"
    "ORDER BY filed_on DESC, id DESC LIMIT 51"
)


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def bulk_load(dsn: str, cases: int) -> tuple[list[str], float]:
    """Enterprises (500) and `cases` cases spread over townships, units, stages and four years."""
    conn = await asyncpg.connect(dsn)
    started = time.perf_counter()
    try:
        enterprise_ids = [str(uuid.uuid4()) for _ in range(500)]
        await conn.executemany(
            "INSERT INTO enforcement.enterprise_view (enterprise_id, name, credit_code, industry_code, township_code,"
            " employee_count, status, aggregate_version)"
            " VALUES ($1, $2, '91431281MA4L000000', '2672', $3, 20, 'operating', 1)",
            [(uuid.UUID(e), f"企业{i}", TOWNSHIPS[i % len(TOWNSHIPS)]) for i, e in enumerate(enterprise_ids)],
        )
        batch = 50_000
        for start in range(0, cases, batch):
            await conn.execute(
                f"""
                INSERT INTO enforcement.penalty_case (
                    id, case_number, procedure, stage, party_type, party_name, township_code, unit_type, unit_code,
                    delegated, delegated_township_code, cause, source, rule_set, filed_on, decide_by,
                    decide_extended, officers, proposed_items, hearing_waived, items, fine_total_fen,
                    fine_paid_fen, late_charge_paid_fen, created_by, version)
                SELECT gen_random_uuid(), 'BENCH-' || g, CASE WHEN g % 7 = 0 THEN 'simplified' ELSE 'general' END,
                    (ARRAY{STAGES!r})[1 + (g::bigint * 7919) % {len(STAGES)}], 'unit', '企业' || (g % 500),
                    (ARRAY{TOWNSHIPS!r})[1 + g % {len(TOWNSHIPS)}], 'department',
                    (ARRAY{UNITS!r})[1 + (g / 20) % {len(UNITS)}], g % 10 = 0,
                    CASE WHEN g % 10 = 0 THEN (ARRAY{TOWNSHIPS!r})[1 + g % {len(TOWNSHIPS)}] END,
                    '违法行为', 'inspection', 'mem_order_18', DATE '2023-01-01' + (g % 1400),
                    DATE '2023-01-01' + (g % 1400) + 90, false, ARRAY['甲', '乙'], '[]'::jsonb, false,
                    '[]'::jsonb, (g % 50) * 10000, 0, 0, 'bench', 1
                FROM generate_series({start + 1}, {min(start + batch, cases)}) AS g
                """
            )
        await conn.execute("ANALYZE enforcement.penalty_case")
        await conn.execute("ANALYZE enforcement.enterprise_view")
    finally:
        await conn.close()
    return enterprise_ids, time.perf_counter() - started


async def direct_create(conn: asyncpg.Connection, enterprise_id: str, n: int) -> None:
    """The statements POST /api/v1/cases commits, sent directly in one transaction."""
    async with conn.transaction():
        enterprise = await conn.fetchrow(
            "SELECT enterprise_id, township_code, industry_code FROM enforcement.enterprise_view"
            " WHERE enterprise_id = $1",
            uuid.UUID(enterprise_id),
        )
        assert enterprise is not None, f"enterprise {enterprise_id} is not in the read model"
        number = await conn.fetchval(
            "INSERT INTO enforcement.document_sequence (kind, unit_code, year, last_number)"
            " VALUES ('direct', 'yjj', 2026, 1) ON CONFLICT (kind, unit_code, year)"
            " DO UPDATE SET last_number = enforcement.document_sequence.last_number + 1"
            " RETURNING last_number"
        )
        case_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO enforcement.penalty_case (id, case_number, procedure, stage, party_type, party_name,"
            " enterprise_id, township_code, industry_code, unit_type, unit_code, delegated, cause, source, rule_set,"
            " filed_on, decide_by, decide_extended, officers, proposed_items, hearing_waived, items, fine_total_fen,"
            " fine_paid_fen, late_charge_paid_fen, created_by, version)"
            " VALUES ($1, $2, 'general', 'filed', 'unit', '某企业', $3, $4, $5, 'department', 'yjj', false, '违法行为',"
            " 'inspection', 'mem_order_18', $6, $7, false, '{}', '[]', false, '[]', 0, 0, 0, 'bench', 1)",
            case_id,
            f"DIRECT-{number}-{n}",
            enterprise["enterprise_id"],
            enterprise["township_code"],
            enterprise["industry_code"],
            date(2026, 3, 2),
            date(2026, 5, 31),
        )
        await conn.execute(
            "INSERT INTO enforcement.case_stage_entry (case_id, action, from_stage, to_stage, approver, opinion, at)"
            " VALUES ($1, 'file', 'filed', 'filed', 'bench', NULL, now())",
            case_id,
        )
        await conn.execute(
            EVENT_WRITE.sql,
            *EVENT_WRITE.args(
                aggregate_type="penalty_case",
                aggregate_id=str(case_id),
                event_type="case.filed",
                topic="enforcement.events",
                data={"case_id": str(case_id)},
                path="/api/v1/cases",
                actor_department="yjj",
            ),
        )


async def run(stack: BenchStack, cases: int, samples: int) -> None:
    """Load, then measure creation and the filtered list through the API and directly."""
    await asyncio.to_thread(upgrade, "enforcement_service", stack.database_url)
    dsn = _plain(stack.database_url)
    enterprise_ids, load_s = await bulk_load(dsn, cases)
    print(f"loaded {cases:,} cases in {load_s:.1f} s")

    key = ensure_signing_key(stack.key_file)
    headers = {"Authorization": "Bearer " + mint_token(key, subject="bench", roles=["city_admin"], name="bench")}
    officer = {
        "Authorization": "Bearer "
        + mint_token(
            key,
            subject="bench-o",
            roles=["department_officer"],
            jurisdictions=["431281000000"],
            department="yjj",
            name="bench",
        )
    }
    async with (
        service_process("enforcement_service.entrypoints.api", "ENFORCEMENT_", stack) as base,
        LoadClient(base, 1) as http,
    ):
        conn = await asyncpg.connect(dsn)
        try:
            # Warm up both paths (connections, prepared statements, caches).
            for i in range(20):
                await _api_create(http, officer, enterprise_ids[i % len(enterprise_ids)])
                await direct_create(conn, enterprise_ids[i % len(enterprise_ids)], -i)

            api_create, sql_create = [], []
            for i in range(samples):
                eid = enterprise_ids[i % len(enterprise_ids)]
                t = time.perf_counter()
                await _api_create(http, officer, eid)
                api_create.append(time.perf_counter() - t)
                t = time.perf_counter()
                await direct_create(conn, eid, i)
                sql_create.append(time.perf_counter() - t)

            api_list, sql_list, api_next, sql_next = [], [], [], []
            rows_seen = 0
            for i in range(samples):
                township, stage = TOWNSHIPS[i % len(TOWNSHIPS)], STAGES[(i * 3) % len(STAGES)]
                params: dict[str, str | int] = {"township_code": township, "stage": stage, "limit": 50}
                t = time.perf_counter()
                status, body = await http.get("/api/v1/cases", params, headers)
                api_list.append(time.perf_counter() - t)
                assert status == 200, body
                page = json.loads(body)
                rows_seen += len(page["items"])
                t = time.perf_counter()
                rows = await conn.fetch(LIST_SQL.format(after=""), township, stage)
                sql_list.append(time.perf_counter() - t)
                assert len(rows) <= 51
                if page["next_cursor"]:
                    t = time.perf_counter()
                    status, body = await http.get("/api/v1/cases", {**params, "cursor": page["next_cursor"]}, headers)
                    api_next.append(time.perf_counter() - t)
                    assert status == 200, body
                    last = rows[49]
                    t = time.perf_counter()
                    await conn.fetch(
                        LIST_SQL.format(after="AND (filed_on, id) < ($3, $4) "),
                        township,
                        stage,
                        last["filed_on"],
                        last["id"],
                    )
                    sql_next.append(time.perf_counter() - t)
            plan = await conn.fetch("EXPLAIN " + LIST_SQL.format(after=""), TOWNSHIPS[0], "served")
        finally:
            await conn.close()

    total = await _count(dsn)
    print(f"cases in table after the run: {total:,}")
    print("list plan:", " | ".join(r[0].strip() for r in plan[:3]))
    _report("create case   API (HTTP, auth, UoW, outbox, audit)", api_create)
    _report("create case   direct asyncpg, same statements", sql_create)
    _ratio("create", api_create, sql_create)
    _report("list page 1   API GET /api/v1/cases?township_code&stage", api_list)
    _report("list page 1   direct asyncpg, same SELECT", sql_list)
    _ratio("list page 1", api_list, sql_list)
    if api_next:
        _report("list page 2   API with cursor", api_next)
        _report("list page 2   direct asyncpg keyset SELECT", sql_next)
        _ratio("list page 2", api_next, sql_next)
    print(f"rows returned on first pages: {rows_seen:,}")


async def _api_create(http: LoadClient, headers: dict[str, str], enterprise_id: str) -> None:
    status, body = await http.post_json(
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某企业",
            "enterprise_id": enterprise_id,
            "cause": "违法行为",
            "filed_on": "2026-03-02",
        },
        headers,
    )
    assert status == 201, body


async def _count(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM enforcement.penalty_case"))
    finally:
        await conn.close()


def _report(label: str, samples: list[float]) -> None:
    print(f"{label:<58} {summary_ms(samples)}")


def _ratio(label: str, api: list[float], direct: list[float]) -> None:
    p50 = percentile(api, 50) / percentile(direct, 50)
    p99 = percentile(api, 99) / percentile(direct, 99)
    print(f"{'ratio ' + label + ' API / direct SQL':<58} p50 x{p50:.1f}  p99 x{p99:.1f}")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    with embedded_stack() as stack:
        asyncio.run(run(stack, args.cases, args.samples))


if __name__ == "__main__":
    main()
