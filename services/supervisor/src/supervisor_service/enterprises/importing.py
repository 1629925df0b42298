"""Reading enterprise import files (CSV or XLSX) into rows with their line numbers.

Headings may be the API field names or the Chinese labels of the usual 台账 template.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Literal

from openpyxl import load_workbook

from supervisor_service.enterprises.exceptions import UnreadableImportFile

HEADINGS: dict[str, str] = {
    "name": "name",
    "单位名称": "name",
    "企业名称": "name",
    "credit_code": "credit_code",
    "统一社会信用代码": "credit_code",
    "industry_code": "industry_code",
    "行业代码": "industry_code",
    "township_code": "township_code",
    "乡镇代码": "township_code",
    "village_code": "village_code",
    "村社区代码": "village_code",
    "address": "address",
    "地址": "address",
    "longitude": "longitude",
    "经度": "longitude",
    "latitude": "latitude",
    "纬度": "latitude",
    "employee_count": "employee_count",
    "从业人数": "employee_count",
    "high_risk": "high_risk",
    "高危行业": "high_risk",
    "risk_level": "risk_level",
    "风险等级": "risk_level",
    "supervising_department": "supervising_department",
    "行业主管部门": "supervising_department",
}
REQUIRED = ("name", "credit_code", "industry_code", "township_code", "employee_count")
TRUE_WORDS = {"true", "1", "yes", "y", "是"}
FALSE_WORDS = {"false", "0", "no", "n", "否", ""}
RISK_WORDS = {
    "重大": "major",
    "较大": "large",
    "一般": "general",
    "低": "low",
    "红": "major",
    "橙": "large",
    "黄": "general",
    "蓝": "low",
}


@dataclass(frozen=True)
class RawRow:
    """One data row of the file: its line number and values keyed by field name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class ParsedFile:
    """The rows of an import file and its format."""

    format: Literal["csv", "xlsx"]
    rows: list[RawRow]


def _fields(headings: list[str]) -> list[str | None]:
    fields = [HEADINGS.get(h.strip().lstrip("\ufeff").strip().lower(), HEADINGS.get(h.strip())) for h in headings]
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise UnreadableImportFile(f"the heading row lacks the columns: {', '.join(missing)}")
    return fields


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(table: list[tuple[int, list[str]]], max_rows: int) -> list[RawRow]:
    if not table:
        raise UnreadableImportFile("the file is empty")
    _, headings = table[0]
    fields = _fields(headings)
    rows = []
    for line, cells in table[1:]:
        if not any(c.strip() for c in cells):
            continue
        values = {f: cells[i].strip() if i < len(cells) else "" for i, f in enumerate(fields) if f}
        rows.append(RawRow(line=line, values=values))
        if len(rows) > max_rows:
            raise UnreadableImportFile(f"the file has more than {max_rows} rows; split it")
    return rows


def read_import_file(content: bytes, filename: str | None, *, max_rows: int) -> ParsedFile:
    """Parse a CSV (UTF-8, optionally with BOM, or GB18030) or XLSX upload."""
    if content[:2] == b"PK" or (filename or "").lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnreadableImportFile(f"not a readable XLSX file: {exc}") from None
        sheet = workbook.worksheets[0]
        table = [(n, [_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
        return ParsedFile(format="xlsx", rows=_rows(table, max_rows))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableImportFile("the CSV file is neither UTF-8 nor GB18030") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    table = []
    try:
        for cells in reader:
            table.append((reader.line_num, cells))
    except csv.Error as exc:
        raise UnreadableImportFile(f"not a readable CSV file: {exc}") from None
    return ParsedFile(format="csv", rows=_rows(table, max_rows))


def normalise(values: dict[str, str]) -> dict[str, object]:
    """Field values as the create schema expects them (empty cells dropped, flags and risk words mapped)."""
    data: dict[str, object] = {k: v for k, v in values.items() if v != ""}
    if "high_risk" in values:
        word = values["high_risk"].strip().lower()
        data["high_risk"] = True if word in TRUE_WORDS else False if word in FALSE_WORDS else word
    if "risk_level" in data:
        data["risk_level"] = RISK_WORDS.get(str(data["risk_level"]), str(data["risk_level"]).lower())
    if "credit_code" in data:
        data["credit_code"] = str(data["credit_code"]).upper()
    return data
