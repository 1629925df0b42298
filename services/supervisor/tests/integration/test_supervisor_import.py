"""Bulk import of enterprises from CSV and XLSX: dry run, all-or-nothing apply, idempotent re-import."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook

from .aliases import Auth, Client, Headers
from .conftest import TUOKOU, credit_code

HEADING = "单位名称,统一社会信用代码,行业代码,乡镇代码,从业人数,风险等级,行业主管部门\n"


def _csv(rows: list[str]) -> bytes:
    return ("\ufeff" + HEADING + "".join(r + "\n" for r in rows)).encode("utf-8")


async def _import(client: httpx.AsyncClient, headers: dict[str, str], content: bytes, name: str, **params: Any) -> Any:
    return await client.post(
        "/api/v1/enterprises/imports", params=params, files={"file": (name, content)}, headers=headers
    )


async def test_dry_run_reports_every_bad_row_and_apply_is_all_or_nothing(client: Client, admin: Headers) -> None:
    good = [credit_code() for _ in range(3)]
    bad_check = credit_code()
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    rows = [
        f"洪江市托口镇导入一号厂,{good[0]},20,{TUOKOU},8,一般,yjj",
        f"洪江市托口镇导入二号厂,{bad_check},20,{TUOKOU},8,一般,yjj",
        f"洪江市托口镇导入三号厂,{good[1]},20,431281999000,8,,",
        f"洪江市托口镇导入四号厂,{good[2]},20,{TUOKOU},很多,,",
        f"洪江市托口镇导入五号厂,{good[0]},52,{TUOKOU},3,低,swj",
    ]
    dry = await _import(client, admin, _csv(rows), "enterprises.csv")
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["dry_run"] is True
    assert report["applied"] is False
    assert report["format"] == "csv"
    assert report["rows"] == 5
    assert report["created"] == 1
    assert report["invalid"] == 4
    by_line = {e["line"]: e for e in report["errors"]}
    assert set(by_line) == {3, 4, 5, 6}
    assert "check character" in by_line[3]["reason"]
    assert by_line[4]["field"] == "township_code"
    assert by_line[5]["field"] == "employee_count"
    assert "line 2" in by_line[6]["reason"]

    rejected = await _import(client, admin, _csv(rows), "enterprises.csv", dry_run="false")
    assert rejected.status_code == 422
    assert {e["line"] for e in rejected.json()["errors"]} == {3, 4, 5, 6}
    nothing = await client.get("/api/v1/enterprises", params={"q": "导入一号厂"}, headers=admin)
    assert nothing.json()["items"] == []

    partial = await _import(client, admin, _csv(rows), "enterprises.csv", dry_run="false", skip_invalid="true")
    assert partial.status_code == 200
    assert partial.json()["applied"] is True
    assert partial.json()["created"] == 1
    applied = await client.get("/api/v1/enterprises", params={"q": "导入一号厂"}, headers=admin)
    assert [e["credit_code"] for e in applied.json()["items"]] == [good[0]]


async def test_xlsx_import_applies_in_one_go_and_reimport_changes_nothing(client: Client, admin: Headers) -> None:
    codes = [credit_code() for _ in range(3)]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "credit_code", "industry_code", "township_code", "employee_count", "high_risk", "risk_level"])
    for n, code in enumerate(codes):
        sheet.append([f"洪江市托口镇表格导入{n}号公司", code, "30", TUOKOU, 20 + n, "是" if n == 0 else "否", "较大"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    applied = await _import(client, admin, content, "台账.xlsx", dry_run="false")
    assert applied.status_code == 200, applied.text
    assert applied.json() | {"errors": []} == applied.json()
    assert (applied.json()["format"], applied.json()["created"], applied.json()["applied"]) == ("xlsx", 3, True)
    listed = await client.get("/api/v1/enterprises", params={"q": "表格导入"}, headers=admin)
    items = listed.json()["items"]
    assert len(items) == 3
    assert {i["risk_level"] for i in items} == {"large"}
    assert [i["high_risk"] for i in items] == [True, False, False]
    versions = {i["id"]: i["version"] for i in items}

    again = await _import(client, admin, content, "台账.xlsx", dry_run="false")
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 3)
    relisted = await client.get("/api/v1/enterprises", params={"q": "表格导入"}, headers=admin)
    assert {i["id"]: i["version"] for i in relisted.json()["items"]} == versions


async def test_import_outside_ones_township_is_a_row_error(client: Client, auth: Auth) -> None:
    officer = auth("township_officer", jurisdictions=["431281101000"])
    rows = [f"洪江市托口镇越权导入厂,{credit_code()},20,{TUOKOU},8,,"]
    report = (await _import(client, officer, _csv(rows), "x.csv")).json()
    assert report["errors"][0]["reason"] == "outside your jurisdiction"


async def test_unreadable_files_are_rejected(client: Client, admin: Headers) -> None:
    no_heading = await _import(client, admin, b"a,b,c\n1,2,3\n", "x.csv")
    assert no_heading.status_code == 422
    assert "lacks the columns" in no_heading.json()["detail"]
    broken_xlsx = await _import(client, admin, b"PK\x03\x04garbage", "x.xlsx")
    assert broken_xlsx.status_code == 422
