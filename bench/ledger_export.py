"""What the hazard ledger export (台账 XLSX) costs for a county's half year of hazards.

Loads `--rows` hazards (5,677 by default, the size that took 4.8 s in issue #16) with every ledger column
filled, serves the hazard API in its own process, and downloads GET /api/v1/hazards/ledger.xlsx as a city
administrator `--samples` times after one warm-up download, one at a time. Prints the wall time (p50, max) and
the API process's CPU time per export, and the workbook's size. No thresholds are asserted.

Run: .venv/bin/python -m bench.ledger_export [--rows 5677] [--samples 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import time
from typing import Any

import asyncpg
import psutil
from openpyxl import load_workbook

from bench.common import BenchStack, LoadClient, embedded_stack, percentile, service_api
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

TOWNSHIPS = [f"431281{n:03d}000" for n in range(101, 121)]
LEDGER = "/api/v1/hazards/ledger.xlsx"


async def bulk_load(dsn: str, rows: int) -> None:
    """`rows` hazards of the first half of 2023 with measures, funds, deadlines, closures and campaign tags."""
    towns = f"(ARRAY{TOWNSHIPS!r})[1 + g % {len(TOWNSHIPS)}]"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO hazard.hazard (id, enterprise_id, enterprise_name, township_code, industry_code, grade,"
            " source, campaign_codes, description, location, reported_on, status, measures, responsible_person,"
            " funds_fen, rectification_deadline, original_deadline, closed_on, ledger_number, overdue, version)"
            f" SELECT gen_random_uuid(), gen_random_uuid(), '洪江市企业' || lpad(g::text, 5, '0') || '有限公司',"
            f" {towns}, '3311', CASE WHEN g % 120 = 0 THEN 'major' ELSE 'general' END, 'department_inspection',"
            " ARRAY['major_hazard_campaign_2023'], '消防通道堵塞，灭火器过期未检，需立即清理更换' || g, '一号车间',"
            " DATE '2023-01-01' + (g % 180), (ARRAY['rectifying','closed'])[1 + g % 2], '清理通道，更换灭火器',"
            " '张三', 10000 * (g % 9), DATE '2023-02-01' + (g % 180), DATE '2023-02-01' + (g % 180),"
            " CASE WHEN g % 2 = 1 THEN DATE '2023-03-01' + (g % 120) END,"
            " CASE WHEN g % 120 = 0 THEN 'ZDYH-2023-' || lpad(g::text, 4, '0') END, g % 50 = 0, 1"
            f" FROM generate_series(1, {rows}) AS g"
        )
        await conn.execute("ANALYZE hazard.hazard")
    finally:
        await conn.close()


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def run(stack: BenchStack, rows: int, samples: int) -> None:
    """Load, serve the hazard API and time the ledger downloads."""
    await asyncio.to_thread(upgrade, "hazard_service", stack.database_url)
    await bulk_load(stack.database_url.replace("postgresql+asyncpg://", "postgresql://"), rows)
    key = ensure_signing_key(stack.key_file)
    headers = {"Authorization": "Bearer " + mint_token(key, subject="bench", roles=["city_admin"], name="bench")}
    async with service_api("hazard_service.entrypoints.api", "HAZARD_", stack) as api:
        process = psutil.Process(api.pid)
        async with LoadClient(api.base, 1) as http:
            status, body = await http.get(LEDGER, {}, headers)  # warm-up: connections, caches, imports
            assert status == 200, body[:300]
            sheet = load_workbook(io.BytesIO(body), read_only=True)["隐患台账"]
            listed = sum(1 for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int))
            assert listed == rows, f"the ledger lists {listed} hazards, not {rows}"
            walls: list[float] = []
            cpu_before = _cpu_seconds(process)
            for _ in range(samples):
                started = time.perf_counter()
                status, body = await http.get(LEDGER, {}, headers)
                walls.append(time.perf_counter() - started)
                assert status == 200, body[:300]
            cpu = (_cpu_seconds(process) - cpu_before) / samples
    print(
        f"ledger.xlsx of {rows:,} hazards: wall p50 {percentile(walls, 50):.2f} s, max {max(walls):.2f} s; "
        f"API CPU {cpu:.2f} s per export; {len(body) / 1024:.0f} KiB"
    )


def main(argv: Any = None) -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5677)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    with embedded_stack() as stack:
        asyncio.run(run(stack, args.rows, args.samples))


if __name__ == "__main__":
    main()
