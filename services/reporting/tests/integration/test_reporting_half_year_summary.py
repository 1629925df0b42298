"""A scripted half year is published through the real broker; the half-year summary must state the
bureau's report's figures, and its XLSX must read back with the expected headings and values."""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from openpyxl import load_workbook
from pydantic import BaseModel

from reporting_service.config import ReportingSettings
from reporting_service.main import create_app
from reporting_service.reports.schemas import (
    CampaignReport,
    HalfYearSummaryReport,
    MonthlyDispatchReport,
    QuarterlyRankingReport,
)
from reporting_service.worker import build_worker
from shared.testing.helpers import api_client, running_worker, token, wait_for
from shared.testing.plugin import Stack
from shared.testing.poppler import pdf_fonts, pdf_text, render_page

from .conftest import publish
from .h1_2023_scenario import OVERDUE_IN_H1, REPORT, scenario


@pytest.fixture(scope="module")
async def summary_client(
    stack: Stack, reporting_db: asyncpg.Pool, reporting_settings: ReportingSettings, clean_slate: None
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """The scenario consumed from a clean reporting schema, and an API client."""
    history = scenario()
    ids = [str(e.event_id) for e in history.events]
    async with running_worker(build_worker(reporting_settings)):
        await publish(stack, history.events)

        async def all_logged() -> bool:
            count = await reporting_db.fetchval(
                "SELECT count(*) FROM reporting.event_log WHERE event_id = ANY($1::uuid[])", ids
            )
            return int(count) == len(ids)

        await wait_for(all_logged, timeout_s=400, interval_s=0.5)
    async with api_client(create_app(reporting_settings)) as client:
        yield client, token(stack, ["city_admin"])


def _items(body: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {(s["code"], i["code"]): i["value"] for s in body["sections"] for i in s["items"]}


async def test_half_year_summary_states_the_reports_figures(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, admin = summary_client
    response = await client.get("/api/v1/reports/half-year-summary", params={"year": 2023, "half": 1}, headers=admin)
    assert response.status_code == 200, response.text
    items = _items(response.json())
    expected = {
        ("enforcement", "inspections"): REPORT["inspections"],
        ("enforcement", "persons_deployed"): REPORT["persons_deployed"],
        ("enforcement", "enterprise_checks"): REPORT["enterprise_checks"],
        ("enforcement", "cases_filed"): REPORT["cases_filed"],
        ("enforcement", "fines_wan_yuan"): REPORT["fines_wan_yuan"],
        ("enforcement", "stop_orders"): REPORT["stop_orders"],
        ("enforcement", "licence_actions"): REPORT["licence_actions"],
        ("enforcement", "closures"): REPORT["closures"],
        ("enforcement", "detained_persons"): REPORT["detained_persons"],
        ("enforcement", "delegated_simplified_cases"): REPORT["delegated_simplified_cases"],
        ("enforcement", "delegated_simplified_fines_wan_yuan"): REPORT["delegated_simplified_fines_wan_yuan"],
        ("leader_inspections", "times"): REPORT["leader_times"],
        ("leader_inspections", "persons"): REPORT["leader_persons"],
        ("leader_inspections", "units_checked"): REPORT["leader_units"],
        ("leader_inspections", "hazards_found"): REPORT["leader_found"],
        ("leader_inspections", "hazards_rectified"): REPORT["leader_rectified"],
        ("fire_check", "general_found"): REPORT["fire_found"],
        ("fire_check", "general_rectified"): REPORT["fire_rectified"],
        ("fire_check", "fines_wan_yuan"): REPORT["fire_fines_wan_yuan"],
        ("resident_supervisors", "supervisors"): REPORT["supervisors"],
        ("resident_supervisors", "enterprises_covered"): REPORT["enterprises_covered"],
        ("resident_supervisors", "enterprises_3plus"): 216,
        ("resident_supervisors", "coverage_rate_3plus"): "97.69",
        ("crackdown", "mining_patrol_persons"): REPORT["mining_patrol_persons"],
        ("crackdown", "mining_sites_stopped"): REPORT["mining_sites_stopped"],
        ("crackdown", "mining_seizures"): 2,
        ("crackdown", "fireworks_joint_actions"): REPORT["fireworks_joint_actions"],
        ("crackdown", "fireworks_seizure_value_wan_yuan"): REPORT["fireworks_seizure_wan_yuan"],
        ("major_hazard_campaign", "major_found"): REPORT["campaign_major_found"],
        ("major_hazard_campaign", "major_self_reported"): REPORT["campaign_major_self_reported"],
        ("major_hazard_campaign", "major_listed"): REPORT["campaign_major_listed"],
        ("major_hazard_campaign", "enterprise_checks"): REPORT["campaign_enterprise_checks"],
        ("major_hazard_campaign", "inspections_with_findings"): REPORT["campaign_problem_checks"],
        ("turnaround_battle", "major_found"): REPORT["major_found"],
        ("turnaround_battle", "major_rectified"): REPORT["major_rectified"],
        ("turnaround_battle", "major_rectification_rate"): REPORT["major_rectification_rate"],
        ("turnaround_battle", "major_listed"): REPORT["major_listed"],
        ("turnaround_battle", "major_listed.city_government"): REPORT["major_listed_city_government"],
        ("turnaround_battle", "major_listed.safety_committee_office"): REPORT["major_listed_committee_office"],
        ("turnaround_battle", "listing_rate"): REPORT["listing_rate"],
        ("turnaround_battle", "general_found"): REPORT["general_found"],
        ("turnaround_battle", "general_rectified"): REPORT["general_rectified"],
        ("turnaround_battle", "general_rectification_rate"): REPORT["general_rectification_rate"],
        ("turnaround_battle", "closures_incl_revocations"): REPORT["closures_incl_revocations"],
        ("turnaround_battle", "exposures"): REPORT["exposures"],
        ("turnaround_battle", "interviews"): REPORT["interviews"],
        ("turnaround_battle", "interview_persons"): REPORT["interview_persons"],
        ("turnaround_battle", "typical_cases"): REPORT["typical_cases"],
    }
    assert {k: items.get(k) for k in expected} == expected


async def test_since_a_campaign_began_is_a_period_of_its_own(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    """打好安全生产翻身仗以来: from the campaign's start to an as-of day, with 立案调查 / 停产 / 关闭 / 拘留."""
    client, admin = summary_client
    since = {"period": "since_campaign", "since_campaign": "safety_turnaround_battle_2023", "date": "2023-06-30"}
    response = await client.get("/api/v1/statistics", params=since, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == {"kind": "since_campaign", "date_from": "2023-02-10", "date_to": "2023-06-30"}
    custom = {"period": "custom", "date_from": "2023-02-10", "date_to": "2023-06-30"}
    same = (await client.get("/api/v1/statistics", params=custom, headers=admin)).json()
    assert (body["hazards"], body["enforcement"]) == (same["hazards"], same["enforcement"])
    whole = await client.get("/api/v1/statistics", params={"period": "half_year", "date": "2023-06-30"}, headers=admin)
    e, h1 = body["enforcement"], whole.json()["enforcement"]
    for figure in ("cases_filed", "stop_orders", "closures_incl_revocations", "detained_persons"):
        assert 0 < e[figure] <= h1[figure], figure
    assert e["cases_filed"] < h1["cases_filed"]
    for campaign in ({"since_campaign": "major_hazard_campaign_2023"}, {"since_campaign": "no_such"}, {}):
        refused = await client.get(
            "/api/v1/statistics", params={"period": "since_campaign", "date": "2023-06-30", **campaign}, headers=admin
        )
        assert refused.status_code == 422, campaign
        assert [err["field"] for err in refused.json()["errors"]] == ["since_campaign"]
    early = await client.get("/api/v1/statistics", params={**since, "date": "2023-01-31"}, headers=admin)
    assert early.status_code == 422
    assert [err["field"] for err in early.json()["errors"]] == ["date"]


async def test_hazards_whose_deadline_passed_in_the_half_year_are_overdue_in_it(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    """Their overdue events were detected years later, when the history was entered: the deadline dates them."""
    client, admin = summary_client
    half = await client.get("/api/v1/statistics", params={"period": "half_year", "date": "2023-06-30"}, headers=admin)
    assert half.json()["hazards"]["overdue"] == OVERDUE_IN_H1
    now = await client.get("/api/v1/statistics", params={"period": "year", "date": "2026-12-03"}, headers=admin)
    assert now.json()["hazards"]["overdue"] == 0


async def test_a_campaigns_report_counts_the_fines_of_its_cases(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    """The fire check's cases carry its campaign code, so its report states the 行政处罚1.52万元."""
    client, admin = summary_client
    response = await client.get(
        "/api/v1/reports/campaigns/medical_crowded_fire_check_2023",
        params={"date_from": "2023-01-01", "date_to": "2023-06-30"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert response.json()["figures"]["enforcement"]["fines_wan_yuan"] == REPORT["fire_fines_wan_yuan"]


async def test_supplementary_figures_join_the_summary(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]], stack: Stack
) -> None:
    client, admin = summary_client
    figure = {
        "period_start": "2023-01-01",
        "period_end": "2023-06-30",
        "indicator": "video_meetings",
        "label": "参加电视电话会议及视频会议",
        "value": "22",
        "unit": "次",
    }
    response = await client.put("/api/v1/reports/supplementary-figures", json=figure, headers=admin)
    assert response.status_code == 200, response.text
    officer = token(stack, ["township_officer"], jurisdictions=["431281101000"])
    assert (await client.put("/api/v1/reports/supplementary-figures", json=figure, headers=officer)).status_code == 403
    bad = await client.put(
        "/api/v1/reports/supplementary-figures", json={**figure, "period_end": "2022-01-01"}, headers=admin
    )
    assert bad.status_code == 422
    body = (
        await client.get("/api/v1/reports/half-year-summary", params={"year": 2023, "half": 1}, headers=admin)
    ).json()
    assert _items(body)[("supplementary", "video_meetings")] == "22.0000"


async def test_half_year_summary_xlsx_reads_back(summary_client: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, admin = summary_client
    response = await client.get(
        "/api/v1/reports/half-year-summary", params={"year": 2023, "half": 1, "fmt": "xlsx"}, headers=admin
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["半年总结"]
    assert sheet["A1"].value == "洪江市2023年上半年安全生产工作主要指标"
    assert [c.value for c in sheet[3]] == ["板块", "指标", "数值", "单位"]
    rows = {(r[0], r[1]): (r[2], r[3]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] is not None}
    assert rows[("强力推进监管执法", "组织执法活动")] == (6120, "次")
    assert rows[("强力推进监管执法", "出动执法人员")] == (21890, "人次")
    assert rows[("强力推进监管执法", "检查生产经营单位")] == (13518, "家次")
    assert Decimal(str(rows[("强力推进监管执法", "实施经济处罚")][0])) == Decimal("281.9653")
    assert rows[("市级领导带队督导检查", "带队督导检查")] == (132, "次")
    assert rows[("落实企业派驻制度", "驻企安全生产监督员")] == (156, "人")
    assert Decimal(str(rows[("打好安全生产翻身仗以来", "重大隐患整改率")][0])) == Decimal("78.72")
    assert Decimal(str(rows[("打好安全生产翻身仗以来", "重大隐患挂牌率")][0])) == Decimal("29.79")
    assert rows[("打好安全生产翻身仗以来", "排查一般隐患")] == (5630, "处")
    csv = await client.get(
        "/api/v1/reports/half-year-summary", params={"year": 2023, "half": 1, "fmt": "csv"}, headers=admin
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "板块,指标,数值,单位"
    assert "强力推进监管执法,组织执法活动,6120,次" in lines


REPORTS = (
    ("/api/v1/reports/monthly-dispatch", {"month": "2023-06", "by": "township"}),
    ("/api/v1/reports/monthly-dispatch", {"month": "2023-06", "by": "department"}),
    ("/api/v1/reports/quarterly-ranking", {"year": 2023, "quarter": 2, "by": "department"}),
    ("/api/v1/reports/campaigns/major_hazard_campaign_2023", {"date_from": "2023-01-01", "date_to": "2023-06-30"}),
    ("/api/v1/reports/half-year-summary", {"year": 2023, "half": 1}),
)
MODELS: dict[str, type[BaseModel]] = {
    "monthly-dispatch": MonthlyDispatchReport,
    "quarterly-ranking": QuarterlyRankingReport,
    "campaigns": CampaignReport,
    "half-year-summary": HalfYearSummaryReport,
}
NUMBER_AS_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.mark.parametrize(("path", "params"), REPORTS)
async def test_every_report_answer_is_its_declared_model(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]], path: str, params: dict[str, Any]
) -> None:
    """The JSON a client reads is exactly the response model the API document declares, field for field."""
    client, admin = summary_client
    response = await client.get(path, params=params, headers=admin)
    assert response.status_code == 200
    model = MODELS[path.split("/")[4]]
    report = model.model_validate_json(response.content, strict=True)
    assert json.loads(report.model_dump_json()) == response.json()


@pytest.mark.parametrize(("path", "params"), REPORTS)
async def test_every_report_workbook_reads_as_an_official_document(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]], path: str, params: dict[str, Any]
) -> None:
    """Chinese only, typed numbers, a title with period and jurisdiction, print setup and a chart."""
    client, admin = summary_client
    response = await client.get(path, params={**params, "fmt": "xlsx"}, headers=admin)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    charts = 0
    for sheet in book.worksheets:
        assert "洪江市" in str(sheet["A1"].value)
        assert "统计范围:洪江市(全市)" in str(sheet["A2"].value)
        assert "统计期间:2023年" in str(sheet["A2"].value)
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [t for t in texts if re.search(r"[A-Za-z]", t)], "a sheet an official reads is in Chinese"
        assert not [t for t in texts if NUMBER_AS_TEXT.match(t)], "numbers are stored as numbers"
        assert any(str(t).startswith("制表单位:") and "审核人:" in t for t in texts)
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$3:$3"
        charts += len(sheet._charts)
    assert charts >= 1


async def test_monthly_dispatch_workbook_totals_equal_the_api(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, admin = summary_client
    params = {"month": "2023-06", "by": "township"}
    body = (await client.get("/api/v1/reports/monthly-dispatch", params=params, headers=admin)).json()
    xlsx = await client.get("/api/v1/reports/monthly-dispatch", params={**params, "fmt": "xlsx"}, headers=admin)
    sheet = load_workbook(io.BytesIO(xlsx.content))["一月一调度"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "合计"]
    total = next(r for r in body["rows"] if r["code"] == "total")
    codes = [c["code"] for c in body["columns"]]
    assert rows
    for index, code in enumerate(codes, start=1):
        api = total["month"][code]
        assert (None if api is None else Decimal(str(api))) == (
            None if rows[0][index] is None else Decimal(str(rows[0][index]))
        ), code


async def test_half_year_summary_pdf_reads_as_the_bureaus_report(
    summary_client: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    """Sections in running Chinese text with the figures, every glyph embedded and drawn."""
    client, admin = summary_client
    response = await client.get(
        "/api/v1/reports/half-year-summary", params={"year": 2023, "half": 1, "fmt": "pdf"}, headers=admin
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    fonts = pdf_fonts(response.content)
    assert fonts
    assert all(embedded for _, embedded in fonts)
    # Lines break between any two Chinese characters: read the text as one run.
    text = re.sub(r"\s", "", pdf_text(response.content))
    assert "一、隐患排查整改闭环" in text
    assert "组织执法活动6120次" in text
    assert "驻企安全生产监督员156人" in text
    png, complaints = render_page(response.content)
    assert png.startswith(b"\x89PNG")
    assert complaints == ""
