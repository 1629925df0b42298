"""Historical import of penalty cases (POST /api/v1/case-imports): each row is decided on the spot, paid,
executed and closed on its own days through the case's use cases, so closed history has no running legal clock;
a bad row rejects the whole file, and a dry run writes nothing."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.cases.models import PenaltyCase
from shared.testing.plugin import Stack

from .conftest import SUITE, TOWNSHIP, admin

HEADINGS = [
    "当事人类型",
    "当事人",
    "统一社会信用代码",
    "乡镇街道代码",
    "执法单位代码",
    "案由",
    "决定日期",
    "警告",
    "罚款金额（元）",
]
HEADINGS += ["执法人员", "缴款日期", "执行日期", "结案日期"]


def _rows(code: str, cause: str) -> list[list[str]]:
    """A fine paid, executed and closed, and a warning executed and closed, both in 2024."""
    fined = ["单位", "某厂", code, "", "yjj", cause, "2024-03-01", "否", "1500.50", "李四、王五", "2024-03-05"]
    warned = ["个人", "张三", "", TOWNSHIP, "yjj", cause, "2024-04-01", "是", "", "李四；王五", ""]
    return [[*fined, "2024-03-05", "2024-03-06"], [*warned, "2024-04-01", "2024-04-02"]]


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADINGS, *rows]).encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADINGS, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _import(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, content: bytes, **params: Any
) -> httpx.Response:
    return await client.post("/api/v1/case-imports", params=params, files={"file": (name, content)}, headers=headers)


async def _cases(engine: AsyncEngine, cause: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).where(PenaltyCase.cause == cause)) or 0)


async def test_closed_cases_are_entered_on_their_days_without_running_clocks(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    for name, content in (
        ("cases.csv", _csv(_rows(code, "CSV历史案件"))),
        ("cases.xlsx", _xlsx(_rows(code, "XLSX历史案件"))),
    ):
        response = await _import(client, admin(stack), name, content)
        assert response.status_code == 201, response.text
        job = response.json()
        assert (job["status"], job["counts"], job["total"]) == ("succeeded", {"closed": 2}, 2)
        read = await client.get(response.headers["Location"], headers=admin(stack))
        assert read.json()["status"] == "succeeded"
    listed = await client.get("/api/v1/cases", params={"enterprise_id": str(enterprise_id)}, headers=admin(stack))
    fined = [c for c in listed.json()["items"] if c["cause"] == "CSV历史案件"]
    assert [(c["procedure"], c["stage"]) for c in fined] == [("simplified", "closed")]
    detail = (await client.get(f"/api/v1/cases/{fined[0]['id']}", headers=admin(stack))).json()
    assert (detail["fine_total_fen"], detail["fine_paid_fen"], detail["closed_on"]) == (150_050, 150_050, "2024-03-06")
    clocks = await client.get("/api/v1/cases/clocks", params={"on": "2024-03-20", "limit": 200}, headers=admin(stack))
    assert fined[0]["id"] not in {c["case_id"] for c in clocks.json()["items"]}


async def test_a_dry_run_and_a_bad_row_write_nothing(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    dry = await _import(client, admin(stack), "cases.csv", _csv(_rows(code, "试导入案件")), dry_run="true")
    assert dry.status_code == 201, dry.text
    assert (dry.json()["status"], dry.json()["counts"]) == ("validated", {"closed": 2})
    assert await _cases(engine, "试导入案件") == 0

    rows = _rows(code, "错误行案件")
    rows[1][12] = "2024-03-01"  # closed before it was decided
    rejected = await _import(client, admin(stack), "cases.csv", _csv(rows))
    assert rejected.status_code == 422, rejected.text
    assert [e["field"] for e in rejected.json()["errors"]] == ["rows[3].closed_on"]
    assert await _cases(engine, "错误行案件") == 0
