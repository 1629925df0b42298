"""Historical import of hazards (POST /api/v1/hazard-imports): each row's closed loop is entered on its own
days through the hazard's use cases, never overdue between its steps; a bad row rejects the whole file."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.testing.plugin import Stack

from .conftest import SUITE, admin, township_officer

HEADINGS = [
    "统一社会信用代码",
    "隐患来源",
    "隐患描述",
    "发现日期",
    "整改期限",
    "整改完成日期",
    "销号日期",
    "整改资金（元）",
]


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADINGS, *rows]).encode("utf-8-sig")


async def _import(client: httpx.AsyncClient, headers: dict[str, str], content: bytes, **params: Any) -> httpx.Response:
    return await client.post(
        "/api/v1/hazard-imports", params=params, files={"file": ("hazards.csv", content)}, headers=headers
    )


async def _hazards(client: httpx.AsyncClient, headers: dict[str, str], enterprise_id: uuid.UUID) -> list[Any]:
    response = await client.get("/api/v1/hazards", params={"enterprise_id": str(enterprise_id)}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_closed_history_is_entered_on_its_days_and_never_overdue(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    rows = [
        [code, "部门检查", "消防通道堵塞", "2023-02-01", "2023-02-20", "2023-02-15", "2023-02-25", "1200.50"],
        [code, "department_inspection", "配电箱未接地", "2023-03-01", "2023-03-31", "", "", ""],
        [code, "企业自查自报", "安全出口标志缺失", "2023-04-01", "", "", "", ""],
    ]
    response = await _import(client, admin(stack), _csv(rows))
    assert response.status_code == 201, response.text
    assert response.json()["counts"] == {"closed": 1, "rectifying": 1, "reported": 1}
    by_description = {h["description"]: h for h in await _hazards(client, admin(stack), enterprise_id)}
    detail = await client.get(f"/api/v1/hazards/{by_description['消防通道堵塞']['id']}", headers=admin(stack))
    closed = detail.json()
    assert (closed["status"], closed["reported_on"], closed["closed_on"]) == ("closed", "2023-02-01", "2023-02-25")
    assert (closed["rectified_on"], closed["rectification_deadline"]) == ("2023-02-15", "2023-02-20")
    assert (closed["overdue"], closed["was_overdue"]) == (False, False)
    assert by_description["配电箱未接地"]["status"] == "rectifying"
    assert by_description["安全出口标志缺失"]["source"] == "self_report"


async def test_a_dry_run_and_a_bad_row_write_nothing(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    good = [code, "部门检查", "吊装作业无人监护", "2023-05-01", "2023-05-10", "2023-05-09", "2023-05-12", ""]
    dry = await _import(client, admin(stack), _csv([good]), dry_run="true")
    assert dry.status_code == 201, dry.text
    assert (dry.json()["status"], dry.json()["counts"]) == ("validated", {"closed": 1})
    skipped_step = [code, "部门检查", "有限空间未检测", "2023-05-02", "2023-05-20", "", "2023-05-25", ""]
    unknown = ["91431281000000000X", "部门检查", "无此企业", "2023-05-03", "", "", "", ""]
    rejected = await _import(client, admin(stack), _csv([good, skipped_step, unknown]))
    assert rejected.status_code == 422, rejected.text
    assert [(e["field"], e["reason"]) for e in rejected.json()["errors"]] == [
        ("rows[3].closed_on", "needs rectified_on"),
        ("rows[4].credit_code", "no such enterprise"),
    ]
    assert await _hazards(client, admin(stack), enterprise_id) == []
    job = await client.get(f"/api/v1/hazard-imports/jobs/{rejected.json()['job_id']}", headers=admin(stack))
    assert job.json()["status"] == "failed"


async def test_only_the_city_administrator_imports_hazards(client: httpx.AsyncClient, stack: Stack) -> None:
    response = await _import(client, township_officer(stack), _csv([]), dry_run="true")
    assert response.status_code == 403
    template = await client.get("/api/v1/hazard-imports/template.xlsx", headers=admin(stack))
    assert template.status_code == 200
