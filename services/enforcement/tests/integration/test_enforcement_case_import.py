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


GENERAL_HEADINGS = [*HEADINGS, "程序", "立案日期", "法制审核日期", "集体讨论日期", "告知日期", "送达日期"]
GENERAL_HEADINGS += ["责令停产停业", "提请关闭", "关闭批准日期"]


def _general_rows(code: str, cause: str) -> list[list[str]]:
    """A fine with a stop order and a closure the government approved after review and discussion, and a warning
    under the general procedure, both in 2024."""
    closed = ["单位", "某厂", code, "", "yjj", cause, "2024-05-20", "否", "50000", "李四、王五", "2024-05-25"]
    closed += ["2024-06-10", "2024-06-12", "一般程序", "2024-05-01", "2024-05-10", "2024-05-12", "2024-05-14"]
    closed += ["2024-05-21", "是", "是", "2024-06-01"]
    warned = ["单位", "某厂", code, "", "yjj", cause, "2024-07-10", "是", "", "李四、王五", "", "2024-07-12"]
    warned += ["2024-07-13", "一般", "2024-07-01", "", "", "2024-07-03", "2024-07-11", "", "", ""]
    return [closed, warned]


async def test_general_procedure_cases_are_filed_decided_with_stop_orders_and_closures_and_closed(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    content = "\n".join(",".join(r) for r in [GENERAL_HEADINGS, *_general_rows(code, "一般程序历史案件")])
    response = await _import(client, admin(stack), "cases.csv", content.encode("utf-8-sig"))
    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["counts"]) == ("succeeded", {"closed": 2})
    listed = await client.get("/api/v1/cases", params={"enterprise_id": str(enterprise_id)}, headers=admin(stack))
    cases = sorted((c for c in listed.json()["items"] if c["cause"] == "一般程序历史案件"), key=lambda c: c["filed_on"])
    assert [(c["procedure"], c["stage"], c["filed_on"], c["closed_on"]) for c in cases] == [
        ("general", "closed", "2024-05-01", "2024-06-12"),
        ("general", "closed", "2024-07-01", "2024-07-13"),
    ]
    first = cases[0]
    assert (first["legal_reviewed_on"], first["collective_discussed_on"], first["served_on"]) == (
        "2024-05-10",
        "2024-05-12",
        "2024-05-21",
    )
    assert (first["fine_total_fen"], first["fine_paid_fen"]) == (5_000_000, 5_000_000)
    assert sorted((i["kind"], i["outcome"]) for i in first["items"]) == [
        ("closure_referral", "closure_approved"),
        ("fine", None),
        ("stop_production", None),
    ]
    assert [i["kind"] for i in cases[1]["items"]] == ["warning"]


async def test_a_stop_order_under_the_simplified_procedure_is_refused(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    row = [*_rows(code, "简易停产案件")[0], "简易程序", "", "", "", "", "", "是", "", ""]
    content = "\n".join(",".join(r) for r in [GENERAL_HEADINGS, row])
    rejected = await _import(client, admin(stack), "cases.csv", content.encode("utf-8-sig"))
    assert rejected.status_code == 422, rejected.text
    assert await _cases(engine, "简易停产案件") == 0


async def test_a_stop_order_without_legal_review_is_refused_as_the_case_would_refuse_it(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    code = await SUITE.give_credit_code(engine, enterprise_id)
    row = _general_rows(code, "未审核停产案件")[0]
    row[15:17] = ["", ""]  # neither legal review nor collective discussion
    content = "\n".join(",".join(r) for r in [GENERAL_HEADINGS, row])
    rejected = await _import(client, admin(stack), "cases.csv", content.encode("utf-8-sig"))
    assert rejected.status_code == 422, rejected.text
    assert "legal review" in rejected.text
    assert await _cases(engine, "未审核停产案件") == 0
