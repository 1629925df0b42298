"""What a list row costs above its SQL, for the five busiest lists of the platform.

For hazards, enforcement cases, inspections, enterprises and supervisor assignments it loads `--rows` rows
(bulk SQL), serves each service's API in its own process, and measures sequentially, one request at a time
with `LoadClient`:
- the API: GET <list>?limit=50 (and limit=1) as a city administrator (whose scope filters nothing);
- the same page's SELECT (the list's columns, join, order and limit + 1) sent directly with asyncpg.
Prints for each list the p50s and the per-row cost above the SQL, (API p50 - SQL p50) / 50, which also holds
the request's fixed cost (HTTP, token, session) spread over the rows; the marginal cost of a row,
((API50 - API1) - (SQL50 - SQL1)) / 49, which does not; and the API process's CPU time per request and per
row ((CPU50 - CPU1) / 49), which a machine busy with other work inflates far less than latencies.
No thresholds are asserted.

Run: .venv/bin/python -m bench.list_rows [--rows 5000] [--samples 300]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import psutil

from bench.common import BenchStack, LoadClient, Spawned, embedded_stack, percentile, service_api
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]
PAGE = 50
PROPOSED = json.dumps([{"item_id": "1", "kind": "fine", "amount_fen": 100000}])


@dataclass(frozen=True)
class ListUnderTest:
    """One list: its service, its path and the SELECT its page runs (with `{limit}` for limit + 1)."""

    label: str
    service: str
    path: str
    sql: str


LISTS = [
    ListUnderTest(
        "hazards",
        "hazard",
        "/api/v1/hazards",
        "SELECT id, enterprise_id, enterprise_name, township_code, grade, source, campaign_codes, description,"
        " status, reported_on, rectification_deadline, listed, listing_level, overdue, version, created_at"
        " FROM hazard.hazard ORDER BY reported_on DESC, id DESC LIMIT {limit}",
    ),
    ListUnderTest(
        "cases",
        "enforcement",
        "/api/v1/cases",
        "SELECT id, case_number, procedure, stage, party_type, party_name, enterprise_id, township_code,"
        " industry_code, unit_type, unit_code, delegated, delegated_township_code, delegation_id, cause, source,"
        " inspection_id, lead_id, rule_set, filed_on, decide_by, decide_extended, officers, proposed_items,"
        " legal_reviewed_on, collective_discussed_on, notified_on, hearing_request_by, hearing_requested_on,"
        " hearing_on, hearing_held_on, hearing_waived, outcome, decided_on, decision_number, items, fine_total_fen,"
        " service_by, served_on, pay_by, fine_paid_fen, late_charge_paid_fen, court_enforcement_requested_on, court,"
        " executed_on, execution_how, closed_on, archived_on, archive_number, version, created_at"
        " FROM enforcement.penalty_case ORDER BY filed_on DESC, id DESC LIMIT {limit}",
    ),
    ListUnderTest(
        "inspections",
        "enforcement",
        "/api/v1/inspections",
        "SELECT id, kind, unit_type, unit_code, township_code, inspected_on, leader_name, leader_post, team_members,"
        " persons_deployed, enterprise_ids, findings_count, major_findings_count, campaign_code, summary, version,"
        " created_at FROM enforcement.inspection ORDER BY inspected_on DESC, id DESC LIMIT {limit}",
    ),
    ListUnderTest(
        "enterprises",
        "supervisor",
        "/api/v1/enterprises",
        "SELECT e.*, s.id AS supervisor_id, s.name AS supervisor_name FROM supervisor.enterprise e"
        " LEFT JOIN supervisor.assignment a ON a.enterprise_id = e.id AND a.active"
        " LEFT JOIN supervisor.supervisor s ON s.id = a.supervisor_id ORDER BY e.name, e.id LIMIT {limit}",
    ),
    ListUnderTest(
        "supervisor assignments",
        "supervisor",
        "/api/v1/assignments",
        "SELECT a.id, a.supervisor_id, s.name AS supervisor_name, a.enterprise_id, e.name AS enterprise_name,"
        " e.township_code, a.start_date, a.end_date, a.end_reason, a.active, a.version"
        " FROM supervisor.assignment a JOIN supervisor.supervisor s ON s.id = a.supervisor_id"
        " JOIN supervisor.enterprise e ON e.id = a.enterprise_id ORDER BY a.start_date, a.id LIMIT {limit}",
    ),
]

SERVICES = {
    "hazard": ("hazard_service", "HAZARD_"),
    "enforcement": ("enforcement_service", "ENFORCEMENT_"),
    "supervisor": ("supervisor_service", "SUPERVISOR_"),
}


def _series(rows: int) -> str:
    return f"generate_series(1, {rows}) AS g"


async def bulk_load(dsn: str, rows: int) -> None:
    """`rows` hazards, cases, inspections, enterprises and assignments (one supervisor per 8 enterprises)."""
    towns = f"(ARRAY{TOWNSHIPS!r})[1 + g % {len(TOWNSHIPS)}]"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO hazard.hazard (id, enterprise_id, enterprise_name, township_code, grade, source,"
            " campaign_codes, description, reported_on, status, rectification_deadline, version)"
            f" SELECT gen_random_uuid(), gen_random_uuid(), '企业' || g, {towns},"
            " CASE WHEN g % 20 = 0 THEN 'major' ELSE 'general' END, 'self_report', ARRAY['c2024'],"
            " '消防通道堵塞，需立即清理' || g, DATE '2024-01-01' + (g % 700),"
            " (ARRAY['reported','rectifying','closed'])[1 + g % 3], DATE '2024-03-01' + (g % 700), 1"
            f" FROM {_series(rows)}"
        )
        await conn.execute(
            "INSERT INTO enforcement.penalty_case (id, case_number, procedure, stage, party_type, party_name,"
            " township_code, unit_type, unit_code, delegated, cause, source, rule_set, filed_on, decide_by,"
            " decide_extended, officers, proposed_items, hearing_waived, items, fine_total_fen, fine_paid_fen,"
            " late_charge_paid_fen, created_by, version)"
            f" SELECT gen_random_uuid(), 'BENCH-' || g, 'general', 'investigation', 'unit', '企业' || g, {towns},"
            " 'department', 'yjj', false, '违法行为', 'inspection', 'mem_order_18', DATE '2023-01-01' + (g % 1400),"
            " DATE '2023-01-01' + (g % 1400) + 90, false, ARRAY['甲', '乙'],"
            f" '{PROPOSED}'::jsonb, false, '[]'::jsonb, 0, 0, 0, 'bench', 1"
            f" FROM {_series(rows)}"
        )
        await conn.execute(
            "INSERT INTO enforcement.inspection (id, kind, unit_type, unit_code, township_code, inspected_on,"
            " leader_name, team_members, persons_deployed, enterprise_ids, findings_count, major_findings_count,"
            " summary, created_by, version)"
            f" SELECT gen_random_uuid(), 'routine', 'department', 'yjj', {towns}, DATE '2023-01-01' + (g % 1400),"
            " '张三', ARRAY['李四', '王五'], 3, ARRAY[gen_random_uuid()::text], g % 4, g % 2, '检查' || g, 'bench', 1"
            f" FROM {_series(rows)}"
        )
        await conn.execute(
            "INSERT INTO supervisor.enterprise (id, name, credit_code, industry_code, industry_section,"
            " industry_division, township_code, employee_count, high_risk, risk_level, supervising_department,"
            " status, version, registered_on)"
            f" SELECT gen_random_uuid(), '洪江市企业' || lpad(g::text, 6, '0'), '91431281MA' || lpad(g::text, 8, '0'),"
            f" '2672', 'C', '26', {towns}, 5 + g % 50, g % 10 = 0, 'general', 'yjj', 'operating', 1, DATE '2020-01-01'"
            f" FROM {_series(rows)}"
        )
        await conn.execute(
            "INSERT INTO supervisor.supervisor (id, code, name, org_kind, org_code, township_code, active, version,"
            " appointed_on)"
            f" SELECT gen_random_uuid(), 'SUP-' || g, '监督员' || g, 'township', {towns}, {towns}, true, 1,"
            " DATE '2020-01-01'"
            f" FROM generate_series(1, {rows // 8 + 1}) AS g"
        )
        await conn.execute(
            "INSERT INTO supervisor.assignment (id, supervisor_id, enterprise_id, start_date, active, version)"
            " SELECT gen_random_uuid(), s.id, e.id, DATE '2023-03-01' + (e.n % 600)::int, true, 1"
            " FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM supervisor.enterprise) e"
            " JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM supervisor.supervisor) s"
            " ON s.n = e.n / 8"
        )
        for table in ("hazard.hazard", "enforcement.penalty_case", "enforcement.inspection"):
            await conn.execute(f"ANALYZE {table}")
        await conn.execute("ANALYZE supervisor.enterprise, supervisor.supervisor, supervisor.assignment")
    finally:
        await conn.close()


@dataclass(frozen=True)
class Measured:
    """One page size of one list: p50 latencies of the API and of the direct SELECT, and the API's CPU."""

    api_s: float
    sql_s: float
    api_cpu_s: float


def _cpu_seconds(api: psutil.Process) -> float:
    times = api.cpu_times()
    return float(times.user + times.system)


async def _samples(
    http: LoadClient,
    process: psutil.Process,
    conn: asyncpg.Connection,
    case: ListUnderTest,
    headers: dict[str, str],
    limit: int,
    samples: int,
) -> Measured:
    """The p50 of the API page and of its direct SELECT, in seconds, alternating the two, and the API process's
    CPU time per request (which, unlike a latency, does not grow when other processes share the cores)."""
    sql = case.sql.format(limit=limit + 1)
    api, direct = [], []
    cpu_before = 0.0
    for i in range(samples + 20):
        if i == 20:  # the first requests warm connections, prepared statements and caches
            cpu_before = _cpu_seconds(process)
        t = time.perf_counter()
        status, body = await http.get(case.path, {"limit": limit}, headers)
        elapsed = time.perf_counter() - t
        assert status == 200, body
        t = time.perf_counter()
        await conn.fetch(sql)
        if i >= 20:
            api.append(elapsed)
            direct.append(time.perf_counter() - t)
    cpu = (_cpu_seconds(process) - cpu_before) / samples
    return Measured(percentile(api, 50), percentile(direct, 50), cpu)


async def run(stack: BenchStack, rows: int, samples: int) -> None:
    """Load, serve the three APIs and print the cost of a list row for each list."""
    for package, _ in SERVICES.values():
        await asyncio.to_thread(upgrade, package, stack.database_url)
    dsn = stack.database_url.replace("postgresql+asyncpg://", "postgresql://")
    started = time.perf_counter()
    await bulk_load(dsn, rows)
    print(f"loaded {rows:,} rows per list in {time.perf_counter() - started:.1f} s")
    key = ensure_signing_key(stack.key_file)
    headers = {"Authorization": "Bearer " + mint_token(key, subject="bench", roles=["city_admin"], name="bench")}
    async with contextlib.AsyncExitStack() as stack_of:
        apis: dict[str, Spawned] = {}
        for name, (package, prefix) in SERVICES.items():
            apis[name] = await stack_of.enter_async_context(service_api(f"{package}.entrypoints.api", prefix, stack))
        conn = await asyncpg.connect(dsn)
        stack_of.push_async_callback(conn.close)
        print(
            f"{'list':<24}{'API p50':>10}{'SQL p50':>10}{'API p50':>10}{'SQL p50':>10}{'per row':>10}{'marginal':>10}"
            f"{'API CPU':>10}{'API CPU':>10}{'CPU':>10}"
        )
        print(
            f"{'':<24}{'(50 rows)':>10}{'(50)':>10}{'(1 row)':>10}{'(1)':>10}{'above SQL':>10}{'per row':>10}"
            f"{'(50)':>10}{'(1)':>10}{'per row':>10}"
        )
        for case in LISTS:
            api = apis[case.service]
            process = psutil.Process(api.pid)
            async with LoadClient(api.base, 1) as http:
                full = await _samples(http, process, conn, case, headers, PAGE, samples)
                one = await _samples(http, process, conn, case, headers, 1, samples)
            per_row = (full.api_s - full.sql_s) / PAGE
            marginal = ((full.api_s - one.api_s) - (full.sql_s - one.sql_s)) / (PAGE - 1)
            cpu_per_row = (full.api_cpu_s - one.api_cpu_s) / (PAGE - 1)
            print(
                f"{case.label:<24}{_ms(full.api_s):>10}{_ms(full.sql_s):>10}{_ms(one.api_s):>10}{_ms(one.sql_s):>10}"
                f"{_us(per_row):>10}{_us(marginal):>10}{_ms(full.api_cpu_s):>10}{_ms(one.api_cpu_s):>10}"
                f"{_us(cpu_per_row):>10}"
            )


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: Any = None) -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    with embedded_stack() as stack:
        asyncio.run(run(stack, args.rows, args.samples))


if __name__ == "__main__":
    main()
