"""Public posting (HTML, PDF with Chinese text, XLSX roster) and visit logs with findings on the broker."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import load_workbook

from shared import clock
from shared.contracts.topics import SUPERVISOR_EVENTS
from shared.testing.helpers import read_topic
from shared.testing.poppler import pdf_text

from .aliases import Auth, Client, Factory, Headers
from .conftest import TUOKOU


async def test_notice_html_and_pdf_carry_the_supervisor_and_hotline(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    enterprise = await register(name="洪江市黔城镇公示测试木材加工厂")
    missing = await client.get(f"/api/v1/enterprises/{enterprise['id']}/notice.pdf", headers=admin)
    assert missing.status_code == 409
    supervisor = await new_supervisor(name="向公示", phone="0745-0000001", position="危化品和工贸监管股干部")
    await assign(supervisor["id"], enterprise["id"])

    page = await client.get(f"/api/v1/enterprises/{enterprise['id']}/notice.html", headers=admin)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for text in ("派驻企业安全生产监督员公示牌", "向公示", "洪江市应急管理局", "0745-0000001", "12350", "监督员职责"):
        assert text in page.text

    pdf = await client.get(f"/api/v1/enterprises/{enterprise['id']}/notice.pdf", headers=admin)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    extracted = pdf_text(pdf.content).replace(" ", "")
    for text in (
        "派驻企业安全生产监督员公示牌",
        "向公示",
        "洪江市应急管理局",
        "洪江市黔城镇公示测试木材加工厂",
        "投诉举报电话",
        "12350",
    ):
        assert text in extracted, text


async def test_township_roster_xlsx(
    client: Client, admin: Headers, auth: Auth, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    enterprise = await register(name="洪江市托口镇名单测试有限公司", township_code=TUOKOU, village_code=None)
    supervisor = await new_supervisor(name="杨名单")
    await assign(supervisor["id"], enterprise["id"])
    response = await client.get(f"/api/v1/townships/{TUOKOU}/roster.xlsx", headers=admin)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "托口镇派驻企业安全生产监督员名单"
    assert rows[1][0].startswith("统计范围:托口镇")
    assert rows[2][:3] == ("序号", "企业名称", "统一社会信用代码")
    listed = [r for r in rows[3:] if r[1] == "洪江市托口镇名单测试有限公司"]
    assert [r[5] for r in listed] == ["杨名单"]
    assert isinstance(listed[0][9], datetime)
    assert any(r[0] == "合计" for r in rows)
    assert sheet.page_setup.orientation == "landscape"
    other = auth("township_officer", jurisdictions=["431281101000"])
    assert (await client.get(f"/api/v1/townships/{TUOKOU}/roster.xlsx", headers=other)).status_code == 404
    assert (await client.get("/api/v1/townships/431281999000/roster.xlsx", headers=admin)).status_code == 404


async def test_visit_findings_reach_the_broker_for_the_hazard_service(
    client: Client, auth: Auth, register: Factory, new_supervisor: Factory, assign: Factory, stack: Any, worker: None
) -> None:
    enterprise = await register(name="洪江市黔城镇走访测试有限公司")
    elsewhere = await register()
    supervisor = await new_supervisor(name="舒走访")
    await assign(supervisor["id"], enterprise["id"])
    me = auth("supervisor", supervisor_id=supervisor["id"])
    visit = {
        "enterprise_id": enterprise["id"],
        "visited_on": clock.today().isoformat(),
        "checked_items": ["安全生产责任制", "消防设施"],
        "summary": "例行走访",
        "findings": [
            {"description": "配电箱未接地", "grade_suggestion": "general", "photo_refs": ["photos/a.jpg"]},
            {
                "description": "粉尘除尘系统未按规定设置泄爆装置",
                "grade_suggestion": "major",
                "clause_code": "GM10-DUST-1",
            },
        ],
    }
    logged = await client.post("/api/v1/visits", json=visit, headers=me)
    assert logged.status_code == 201, logged.text
    body = logged.json()
    assert [f["grade_suggestion"] for f in body["findings"]] == ["general", "major"]

    found = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v["event_type"] == "visit.finding_recorded" and v["data"]["visit_id"] == body["id"],
    )
    findings = {v["data"]["finding_id"]: v for _, v, _ in found}
    assert set(findings) == {f["id"] for f in body["findings"]}
    first = findings[body["findings"][0]["id"]]
    assert (
        first["data"]
        | {
            "enterprise_id": enterprise["id"],
            "enterprise_name": enterprise["name"],
            "credit_code": enterprise["credit_code"],
            "township_code": enterprise["township_code"],
            "industry_code": "20",
            "supervisor_id": supervisor["id"],
            "supervisor_name": "舒走访",
            "found_on": clock.today().isoformat(),
            "description": "配电箱未接地",
            "grade_suggestion": "general",
            "photo_refs": ["photos/a.jpg"],
            "source": "resident_supervisor",
        }
        == first["data"]
    )
    assert first["jurisdiction"] == enterprise["township_code"]
    logged_event = await read_topic(
        stack, SUPERVISOR_EVENTS, lambda v: v["event_type"] == "visit.logged" and v["aggregate_id"] == body["id"]
    )
    assert len(logged_event[0][1]["data"]["findings"]) == 2

    not_mine = await client.post("/api/v1/visits", json={**visit, "enterprise_id": elsewhere["id"]}, headers=me)
    assert not_mine.status_code == 404
    future = (clock.today() + timedelta(days=2)).isoformat()
    assert (await client.post("/api/v1/visits", json={**visit, "visited_on": future}, headers=me)).status_code == 422
    officer = auth("township_officer", jurisdictions=["431281101000"])
    assert (await client.post("/api/v1/visits", json=visit, headers=officer)).status_code == 403
    listed = await client.get("/api/v1/visits", params={"enterprise_id": enterprise["id"]}, headers=officer)
    assert [v["id"] for v in listed.json()["items"]] == [body["id"]]


async def test_quarterly_report_and_inactive_supervisors(
    client: Client, admin: Headers, auth: Auth, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    visited, idle = await register(), await register()
    busy, lazy = await new_supervisor(name="勤走访"), await new_supervisor(name="懒走访")
    await assign(busy["id"], visited["id"], idle["id"], start_date="2023-01-01")
    await assign(lazy["id"], (await register())["id"], start_date="2023-01-01")
    me = auth("supervisor", supervisor_id=busy["id"])
    for day, findings in (("2023-04-10", 1), ("2023-05-20", 2), ("2023-07-01", 0)):
        body = {
            "enterprise_id": visited["id"],
            "visited_on": day,
            "findings": [
                {"description": f"问题{n}", "grade_suggestion": "major" if n == 0 else "general"}
                for n in range(findings)
            ],
        }
        assert (await client.post("/api/v1/visits", json=body, headers=me)).status_code == 201

    report = await client.get(
        f"/api/v1/supervisors/{busy['id']}/quarterly-report", params={"year": 2023, "quarter": 2}, headers=admin
    )
    assert report.status_code == 200
    q2 = report.json()
    assert (q2["period_start"], q2["period_end"]) == ("2023-04-01", "2023-06-30")
    assert (q2["enterprises_assigned"], q2["enterprises_visited"], q2["visits"], q2["findings"]) == (2, 1, 2, 3)
    assert q2["major_findings"] == 2
    row = next(e for e in q2["enterprises"] if e["enterprise_id"] == visited["id"])
    assert (row["visits"], row["last_visited_on"]) == (2, "2023-05-20")

    days_since = (clock.today() - date(2023, 7, 1)).days
    inactive = (await client.get("/api/v1/supervisors/inactive", params={"days": 30}, headers=admin)).json()
    by_id = {i["supervisor_id"]: i for i in inactive["items"]}
    assert by_id[lazy["id"]]["last_visited_on"] is None
    assert by_id[busy["id"]]["days_since_last_visit"] == days_since
    recent = (await client.get("/api/v1/supervisors/inactive", params={"days": days_since + 1}, headers=admin)).json()
    assert busy["id"] not in {i["supervisor_id"] for i in recent["items"]}
    assert lazy["id"] in {i["supervisor_id"] for i in recent["items"]}
