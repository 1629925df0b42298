"""A generated history goes through the real broker to two consumer replicas; every statistic must
equal a direct computation over that history, also after duplicate and reordered deliveries and
after a rebuild."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from openpyxl import load_workbook

from reporting_service.config import ReportingSettings
from reporting_service.main import create_app
from reporting_service.projections.service import Projector
from reporting_service.rebuild.service import rebuild
from reporting_service.statistics.domain import figures
from reporting_service.worker import GROUP, build_worker
from shared.contracts.topics import ALL_TOPICS
from shared.testing.broker import wait_until_consumed
from shared.testing.helpers import api_client, running_replicas, running_worker, token, wait_for
from shared.testing.plugin import Stack

from .conftest import publish, scramble
from .reporting_history import DEPARTMENTS, History, generate

YEAR_START, YEAR_END = date(2031, 1, 1), date(2031, 12, 31)


@dataclass
class Fed:
    """The history after it was consumed, and the API."""

    history: History
    client: httpx.AsyncClient
    admin: dict[str, str]
    assignments: list[int]


async def _logged(conn: asyncpg.Pool, ids: list[str]) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM reporting.event_log WHERE event_id = ANY($1::uuid[])", ids))


@pytest.fixture(scope="module")
async def fed(
    stack: Stack, reporting_db: asyncpg.Pool, reporting_settings: ReportingSettings, clean_slate: None
) -> AsyncIterator[Fed]:
    """Publish the scrambled history and consume it with two replicas of the worker."""
    history = generate(20310101, start=YEAR_START, days=365)
    ids = [str(e.event_id) for e in history.events]
    async with api_client(create_app(reporting_settings)) as client:
        admin = token(stack, ["city_admin"])
        async with running_replicas(build_worker(reporting_settings), build_worker(reporting_settings)) as (
            first,
            second,
        ):
            await wait_for(
                lambda: all(r.consumer and r.consumer.assignment() for r in (*first.runners, *second.runners)),
                timeout_s=60,
            )
            await publish(stack, scramble(history.events, seed=7))
            await wait_for(lambda: _logged_all(reporting_db, ids), timeout_s=300, interval_s=0.2)
            assignments = [len(r.consumer.assignment()) for r in (*first.runners, *second.runners) if r.consumer]
        yield Fed(history, client, admin, assignments)


async def _logged_all(conn: asyncpg.Pool, ids: list[str]) -> bool:
    return await _logged(conn, ids) == len(ids)


def _expected(history: History, date_from: date, date_to: date, **filters: Any) -> dict[str, Any]:
    flow = history.expected(date_from, date_to, **filters)
    stock = history.expected(date_from, date_to, stock=True, **filters)
    return figures(flow, stock)


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value


QUERIES: list[tuple[dict[str, str], date, date, dict[str, Any]]] = [
    ({"period": "year", "date": "2031-06-01"}, YEAR_START, YEAR_END, {}),
    ({"period": "half_year", "date": "2031-02-01"}, YEAR_START, date(2031, 6, 30), {}),
    ({"period": "quarter", "date": "2031-05-20"}, date(2031, 4, 1), date(2031, 6, 30), {}),
    ({"period": "month", "date": "2031-03-09"}, date(2031, 3, 1), date(2031, 3, 31), {}),
    ({"period": "day", "date": "2031-04-17"}, date(2031, 4, 17), date(2031, 4, 17), {}),
    ({"period": "custom", "date_from": "2031-02-11", "date_to": "2031-09-03"}, date(2031, 2, 11), date(2031, 9, 3), {}),
    (
        {"period": "year", "date": "2031-01-01", "township_code": "431281102000"},
        YEAR_START,
        YEAR_END,
        {"township": {"431281102000"}},
    ),
    (
        {"period": "half_year", "date": "2031-12-01", "department_code": "zjj"},
        date(2031, 7, 1),
        YEAR_END,
        {"department": {"zjj"}},
    ),
    ({"period": "year", "date": "2031-01-01", "industry_code": "84"}, YEAR_START, YEAR_END, {"industry": {"84"}}),
    (
        {
            "period": "custom",
            "date_from": "2031-01-15",
            "date_to": "2031-11-20",
            "campaign_code": "major_hazard_campaign_2023",
        },
        date(2031, 1, 15),
        date(2031, 11, 20),
        {"campaign": "major_hazard_campaign_2023"},
    ),
    (
        {"period": "year", "date": "2031-01-01", "township_code": "431281101000", "department_code": "yjj"},
        YEAR_START,
        YEAR_END,
        {"township": {"431281101000"}, "department": {"yjj"}},
    ),
    (
        {
            "period": "quarter",
            "date": "2031-08-08",
            "campaign_code": "crackdown_illegal_mining_2023",
            "township_code": "431281104000",
        },
        date(2031, 7, 1),
        date(2031, 9, 30),
        {"campaign": "crackdown_illegal_mining_2023", "township": {"431281104000"}},
    ),
]


async def test_every_statistic_equals_the_direct_computation_over_the_history(fed: Fed) -> None:
    for params, date_from, date_to, filters in QUERIES:
        response = await fed.client.get("/api/v1/statistics", params=params, headers=fed.admin)
        assert response.status_code == 200, response.text
        body = response.json()
        expected = _json(_expected(fed.history, date_from, date_to, **filters))
        for section in ("hazards", "enforcement", "leader_inspections", "supervisors"):
            assert body[section] == expected[section], (params, section)


async def test_the_history_moves_the_headline_figures(fed: Fed) -> None:
    body = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=fed.admin)
    ).json()
    hazards = body["hazards"]
    assert hazards["found"] > 100
    assert 0 < hazards["rectified"] < hazards["found"]
    assert hazards["major_listed"] > 0
    assert hazards["overdue"] > 0
    assert body["enforcement"]["cases_filed"] > 40
    assert body["enforcement"]["fines_fen"] > 0
    assert body["leader_inspections"]["times"] > 0
    assert body["rounding"].startswith("Counts and fen amounts are exact integers")


async def test_two_replicas_shared_the_partitions(fed: Fed) -> None:
    assert len(fed.assignments) == 2
    assert all(n > 0 for n in fed.assignments)


async def test_breakdown_by_township_matches_the_history(fed: Fed) -> None:
    response = await fed.client.get(
        "/api/v1/statistics/breakdown",
        params={"by": "township", "period": "year", "date": "2031-01-01"},
        headers=fed.admin,
    )
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()["rows"]}
    for code in ("431281101000", "431281203000"):
        expected = _json(figures(fed.history.expected(YEAR_START, YEAR_END, township={code}), {}))
        if code not in rows:
            assert expected["hazards"]["found"] == 0
            continue
        assert rows[code]["hazards"] == expected["hazards"]
        assert rows[code]["enforcement"] == expected["enforcement"]


async def test_a_township_officer_sees_only_their_township(fed: Fed, stack: Stack) -> None:
    officer = token(stack, ["township_officer"], jurisdictions=["431281103000"])
    body = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=officer)
    ).json()
    expected = _json(figures(fed.history.expected(YEAR_START, YEAR_END, township={"431281103000"}), {}))
    assert body["hazards"] == expected["hazards"]
    outside = await fed.client.get(
        "/api/v1/statistics",
        params={"period": "year", "date": "2031-01-01", "township_code": "431281101000"},
        headers=officer,
    )
    assert outside.status_code == 404
    enterprise = token(stack, ["enterprise"])
    assert (
        await fed.client.get("/api/v1/statistics", headers=enterprise, params={"date": "2031-01-01"})
    ).status_code == 403


async def test_bad_periods_are_422(fed: Fed) -> None:
    response = await fed.client.get(
        "/api/v1/statistics", params={"period": "custom", "date_from": "2031-02-01"}, headers=fed.admin
    )
    assert response.status_code == 422
    response = await fed.client.get("/api/v1/statistics", params={"period": "quarter"}, headers=fed.admin)
    assert response.status_code == 422


async def test_redelivered_events_change_nothing(fed: Fed, stack: Stack, reporting_settings: ReportingSettings) -> None:
    before = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=fed.admin)
    ).json()
    replay = fed.history.events[:300]
    async with running_worker(build_worker(reporting_settings)):
        await publish(stack, list(reversed(replay)))
        await wait_until_consumed(stack, GROUP, ALL_TOPICS)
    after = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=fed.admin)
    ).json()
    assert after == before


async def test_rebuild_replays_the_log_into_equal_projections(fed: Fed, stack: Stack) -> None:
    conn = await asyncpg.connect(stack.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        report = await rebuild(conn, Projector(), batch_size=257)
    finally:
        await conn.close()
    assert report.events >= len({e.event_id for e in fed.history.events})
    assert report.differences == dict.fromkeys(report.differences, 0)
    assert report.equal


async def test_rebuild_detects_and_repairs_a_damaged_projection(
    fed: Fed, stack: Stack, reporting_db: asyncpg.Pool
) -> None:
    before = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=fed.admin)
    ).json()
    await reporting_db.execute(
        "UPDATE reporting.stat_rollup_month SET value = value + 5 WHERE grp = 'all' AND period = '2031-03-01' "
        "AND indicator LIKE 'inspection.count.%'"
    )
    conn = await asyncpg.connect(stack.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        damaged = await rebuild(conn, Projector())
        assert not damaged.equal
        assert damaged.differences["stat_rollup_month"] > 0
        repaired = await rebuild(conn, Projector(), replace=True)
        assert repaired.replaced
        assert (await rebuild(conn, Projector())).equal
    finally:
        await conn.close()
    after = (
        await fed.client.get("/api/v1/statistics", params={"period": "year", "date": "2031-01-01"}, headers=fed.admin)
    ).json()
    assert after == before


async def test_freshness_reports_each_topic(fed: Fed) -> None:
    response = await fed.client.get("/api/v1/statistics/freshness", headers=fed.admin)
    assert response.status_code == 200
    topics = {t["topic"]: t for t in response.json()["topics"]}
    assert set(topics) == {"hazard.events", "enforcement.events", "supervisor.events"}
    for topic in topics.values():
        assert topic["events_applied"] > 0
        assert topic["last_applied_at"] is not None
        assert topic["lag_messages"] == 0


async def test_monthly_dispatch_lists_every_department_with_totals(fed: Fed) -> None:
    response = await fed.client.get(
        "/api/v1/reports/monthly-dispatch", params={"month": "2031-05", "by": "department"}, headers=fed.admin
    )
    assert response.status_code == 200
    body = response.json()
    rows = {r["code"]: r for r in body["rows"]}
    for code in DEPARTMENTS:
        expected = figures(fed.history.expected(date(2031, 5, 1), date(2031, 5, 31), department={code}), {})
        assert rows[code]["month"]["inspections"] == expected["enforcement"]["inspections"]
        assert rows[code]["month"]["cases_filed"] == expected["enforcement"]["cases_filed"]
        ytd = figures(fed.history.expected(YEAR_START, date(2031, 5, 31), department={code}), {})
        assert rows[code]["year_to_date"]["enterprise_checks"] == ytd["enforcement"]["enterprise_checks"]
    month_total = figures(fed.history.expected(date(2031, 5, 1), date(2031, 5, 31)), {})
    assert rows["total"]["month"]["persons_deployed"] == month_total["enforcement"]["persons_deployed"]
    xlsx = await fed.client.get(
        "/api/v1/reports/monthly-dispatch",
        params={"month": "2031-05", "by": "township", "fmt": "xlsx"},
        headers=fed.admin,
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    headings = [c.value for c in sheet[3]]
    assert headings[:4] == ["乡镇", "执法活动(次)", "出动执法人员(人次)", "检查生产经营单位(家次)"]
    assert [r[0].value for r in sheet.iter_rows(min_row=4, max_row=5)] == ["黔城镇", "安江镇"]
    csv = await fed.client.get(
        "/api/v1/reports/monthly-dispatch", params={"month": "2031-05", "fmt": "csv"}, headers=fed.admin
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("部门,执法活动(次)")


async def test_quarterly_ranking_scores_with_the_given_weights(fed: Fed) -> None:
    response = await fed.client.get(
        "/api/v1/reports/quarterly-ranking",
        params={"year": 2031, "quarter": 2, "by": "department", "weights": "inspections:60,cases_filed:40"},
        headers=fed.admin,
    )
    assert response.status_code == 200
    rows = response.json()["rows"]
    q2 = {
        code: figures(fed.history.expected(date(2031, 4, 1), date(2031, 6, 30), department={code}), {})
        for code in DEPARTMENTS
    }
    best_inspections = max(f["enforcement"]["inspections"] for f in q2.values())
    best_cases = max(f["enforcement"]["cases_filed"] for f in q2.values())
    by_code = {r["code"]: r for r in rows}
    for code, f in q2.items():
        exact = (
            Decimal(f["enforcement"]["inspections"]) / best_inspections * 60
            + Decimal(f["enforcement"]["cases_filed"]) / best_cases * 40
        )
        assert Decimal(by_code[code]["score"]) == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert [b["indicator"] for b in by_code[code]["breakdown"]] == ["inspections", "cases_filed"]
    scores = [Decimal(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["rank"] == 1
    bad = await fed.client.get(
        "/api/v1/reports/quarterly-ranking",
        params={"year": 2031, "quarter": 2, "weights": "nonsense:3"},
        headers=fed.admin,
    )
    assert bad.status_code == 422


async def test_campaign_report_counts_the_campaign_only(fed: Fed) -> None:
    code = "medical_crowded_fire_check_2023"
    response = await fed.client.get(
        f"/api/v1/reports/campaigns/{code}",
        params={"date_from": "2031-01-01", "date_to": "2031-12-31"},
        headers=fed.admin,
    )
    assert response.status_code == 200
    body = response.json()
    expected = _json(figures(fed.history.expected(YEAR_START, YEAR_END, campaign=code), {}))
    assert body["figures"]["hazards"] == expected["hazards"]
    assert sum(r["hazards.found"] for r in body["by_township"]) == expected["hazards"]["found"]
    xlsx = await fed.client.get(
        f"/api/v1/reports/campaigns/{code}",
        params={"date_from": "2031-01-01", "date_to": "2031-12-31", "fmt": "xlsx"},
        headers=fed.admin,
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["分乡镇", "分行业"]
    missing = await fed.client.get(
        "/api/v1/reports/campaigns/nope", params={"date_from": "2031-01-01", "date_to": "2031-12-31"}, headers=fed.admin
    )
    assert missing.status_code == 404


async def test_concurrent_dashboard_reads_agree(fed: Fed) -> None:
    params = {"period": "half_year", "date": "2031-03-01"}
    bodies = await asyncio.gather(
        *(fed.client.get("/api/v1/statistics", params=params, headers=fed.admin) for _ in range(8))
    )
    assert len({b.text for b in bodies}) == 1
