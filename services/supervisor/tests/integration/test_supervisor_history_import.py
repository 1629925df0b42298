"""Historical import of the registry (POST /api/v1/imports/{kind}): effective dates kept, dry run writes nothing,
one bad row rejects the whole file naming its row and field, GBK CSV and XLSX read, progress visible while it
runs, an Idempotency-Key retry answers the same job."""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from shared.auth.principal import Role
from shared.testing.helpers import wait_for

from .aliases import Auth, Client, Headers
from .conftest import ANJIANG, QIANCHENG, TUOKOU, credit_code

ENTERPRISE_HEADINGS = ["单位名称", "统一社会信用代码", "行业代码", "乡镇代码", "从业人数", "风险等级", "登记日期"]


def _enterprise_rows(count: int, tag: str, township: str = TUOKOU) -> list[list[str]]:
    return [
        [
            f"洪江市{tag}历史导入厂{n:04d}",
            credit_code(),
            "20",
            township,
            str(3 + n % 5),
            "一般",
            f"2023-0{1 + n % 6}-15",
        ]
        for n in range(count)
    ]


def _csv(headings: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(",".join(r) for r in [headings, *rows]).encode(encoding)


def _xlsx(headings: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [headings, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _import(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str, content: bytes, name: str, **params: Any
) -> httpx.Response:
    return await client.post(f"/api/v1/imports/{kind}", params=params, files={"file": (name, content)}, headers=headers)


async def _names(client: httpx.AsyncClient, headers: dict[str, str], q: str) -> list[str]:
    response = await client.get("/api/v1/enterprises", params={"q": q, "limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


async def test_the_template_holds_the_chinese_headings_and_only_the_city_administrator_imports(
    client: Client, admin: Headers, auth: Auth
) -> None:
    template = await client.get("/api/v1/imports/enterprises/template.xlsx", headers=admin)
    assert template.status_code == 200, template.text
    sheet = load_workbook(io.BytesIO(template.content), read_only=True).worksheets[0]
    headings = next(sheet.iter_rows(values_only=True))
    assert headings[:2] == ("单位名称", "统一社会信用代码")
    assert "登记日期" in headings
    township = auth(Role.TOWNSHIP_OFFICER, jurisdictions=[TUOKOU])
    content = _csv(ENTERPRISE_HEADINGS, _enterprise_rows(1, "越权"))
    refused = await _import(client, township, "enterprises", content, "e.csv", dry_run="true")
    assert refused.status_code == 403


async def test_a_dry_run_reports_the_counts_and_writes_nothing(client: Client, admin: Headers) -> None:
    content = _csv(ENTERPRISE_HEADINGS, _enterprise_rows(4, "试算"))
    response = await _import(client, admin, "enterprises", content, "dry.csv", dry_run="true")
    assert response.status_code == 201, response.text
    job = response.json()
    assert (job["status"], job["dry_run"], job["total"], job["done"]) == ("validated", True, 4, 4)
    assert job["counts"] == {"created": 4}
    assert await _names(client, admin, "试算历史导入厂") == []
    read = await client.get(response.headers["Location"], headers=admin)
    assert read.json()["status"] == "validated"


async def test_one_bad_row_rejects_the_file_naming_its_row_and_field(client: Client, admin: Headers) -> None:
    rows = _enterprise_rows(3, "坏行")
    rows[1][1] = rows[1][1][:17] + ("0" if rows[1][1][17] != "0" else "1")  # a wrong check character
    rows[2][6] = "2999-01-01"  # a registration day in the future
    response = await _import(client, admin, "enterprises", _csv(ENTERPRISE_HEADINGS, rows), "bad.csv")
    assert response.status_code == 422, response.text
    problem = response.json()
    fields = {e["field"] for e in problem["errors"]}
    assert fields == {"rows[3].credit_code", "rows[4].registered_on"}
    assert await _names(client, admin, "坏行历史导入厂") == []
    job = await client.get(f"/api/v1/imports/enterprises/jobs/{problem['job_id']}", headers=admin)
    assert job.json()["status"] == "failed"


async def test_a_row_the_use_case_refuses_rolls_back_the_rows_before_it(client: Client, admin: Headers) -> None:
    rows = _enterprise_rows(3, "回滚")
    rows[2][3] = "431281999000"  # no such township: the registration refuses it after two rows were written
    response = await _import(client, admin, "enterprises", _csv(ENTERPRISE_HEADINGS, rows), "late.csv")
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["rows[4].township_code"]
    assert await _names(client, admin, "回滚历史导入厂") == []


async def test_a_gbk_csv_is_imported_with_its_registration_days(client: Client, admin: Headers) -> None:
    rows = _enterprise_rows(3, "国标", township=ANJIANG)
    response = await _import(client, admin, "enterprises", _csv(ENTERPRISE_HEADINGS, rows, "gbk"), "gbk.csv")
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "succeeded"
    found = await client.get("/api/v1/enterprises", params={"q": "国标历史导入厂"}, headers=admin)
    days = {item["name"]: item["registered_on"] for item in found.json()["items"]}
    assert days == {row[0]: row[6] for row in rows}


async def test_supervisors_and_assignments_from_xlsx_keep_their_dates(client: Client, admin: Headers) -> None:
    enterprises = _enterprise_rows(2, "派驻", township=QIANCHENG)
    created = await _import(client, admin, "enterprises", _xlsx(ENTERPRISE_HEADINGS, enterprises), "e.xlsx")
    assert created.status_code == 201, created.text
    code = f"H-{uuid.uuid4().hex[:6]}"
    supervisors = _xlsx(
        ["监督员编号", "姓名", "单位类型", "单位代码", "职务", "任职日期"],
        [[code, "历史监督员", "乡镇", QIANCHENG, "安全生产监督员", "2023-01-10"]],
    )
    response = await _import(client, admin, "supervisors", supervisors, "s.xlsx")
    assert response.status_code == 201, response.text
    assert response.json()["format"] == "xlsx"
    assignments = _xlsx(
        ["监督员编号", "统一社会信用代码", "派驻日期", "结束日期", "结束原因"],
        [
            [code, enterprises[0][1], "2023-02-01", "2023-04-30", "调整"],
            [code, enterprises[1][1], "2023-03-01", None, None],
        ],
    )
    response = await _import(client, admin, "assignments", assignments, "a.xlsx")
    assert response.status_code == 201, response.text
    assert response.json()["counts"] == {"ended": 1, "started": 1}
    listed = await client.get("/api/v1/supervisors", params={"q": "历史监督员"}, headers=admin)
    supervisor = next(s for s in listed.json()["items"] if s["code"] == code)
    assert supervisor["appointed_on"] == "2023-01-10"
    history = await client.get("/api/v1/assignments", params={"supervisor_id": supervisor["id"]}, headers=admin)
    spans = sorted((a["start_date"], a["end_date"]) for a in history.json()["items"])
    assert spans == [("2023-02-01", "2023-04-30"), ("2023-03-01", None)]


async def test_progress_is_readable_while_an_import_runs(client: Client, admin: Headers) -> None:
    name = f"progress-{uuid.uuid4().hex[:6]}.csv"
    content = _csv(ENTERPRISE_HEADINGS, _enterprise_rows(300, "进度"))
    running = asyncio.create_task(_import(client, admin, "enterprises", content, name, dry_run="true"))
    seen: list[tuple[str, int, int]] = []

    async def mid_way() -> bool:
        jobs = (await client.get("/api/v1/imports/enterprises/jobs", headers=admin)).json()["items"]
        seen.extend((j["status"], j["done"], j["total"]) for j in jobs if j["file_name"] == name)
        return any(status == "running" and 0 < done < total for status, done, total in seen)

    await wait_for(mid_way, timeout_s=60)
    finished = await running
    assert finished.status_code == 201, finished.text
    assert (finished.json()["status"], finished.json()["done"]) == ("validated", 300)


async def test_a_retry_with_the_same_idempotency_key_answers_the_same_job(client: Client, admin: Headers) -> None:
    content = _csv(ENTERPRISE_HEADINGS, _enterprise_rows(2, "重试"))
    headers = {**admin, "Idempotency-Key": uuid.uuid4().hex}
    first = await _import(client, headers, "enterprises", content, "retry.csv")
    again = await _import(client, headers, "enterprises", content, "retry.csv")
    assert first.status_code == again.status_code == 201, again.text
    assert first.json()["id"] == again.json()["id"]
    assert len(await _names(client, admin, "重试历史导入厂")) == 2
