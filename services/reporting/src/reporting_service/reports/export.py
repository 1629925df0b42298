"""Reports as officials open them: XLSX (shared print layout, typed figures, native charts) and CSV
(UTF-8 with BOM so Excel reads the Chinese)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

from openpyxl.utils import get_column_letter

from shared.documents.xlsx import XLSX_MEDIA_TYPE, Table, add_chart, new_workbook, place_table, workbook_bytes

__all__ = ["CSV_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "Chart", "Sheet", "content_disposition", "to_csv", "to_xlsx"]

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ISSUER = "洪江市安全生产委员会办公室"
ROUNDING_NOTE = (
    "件数、次数等计数为精确整数;比率(%)由精确整数计算,四舍五入保留2位小数,分母为0时空白;"
    "元 = 分 ÷ 100,万元 = 分 ÷ 1000000(四舍五入保留4位小数);监督员、派驻覆盖等存量指标为统计期末数。"
)
"""The rounding rule in Chinese, printed under every table (the API states it in English)."""


@dataclass(frozen=True)
class Chart:
    """A native chart of a sheet: one series per listed column (1-based, column A holds the categories)."""

    title: str
    values: tuple[int, ...]
    kind: Literal["bar", "line"] = "bar"
    y_title: str = ""


@dataclass
class Sheet:
    """A titled table with its period, jurisdiction, total row, Chinese notes and charts."""

    name: str
    title: str
    headings: list[str]
    rows: list[list[Any]]
    period: str
    jurisdiction: str
    total: list[Any] | None = None
    notes: list[str] = field(default_factory=lambda: [ROUNDING_NOTE])
    charts: list[Chart] = field(default_factory=list)


def to_xlsx(sheets: Sequence[Sheet], *, made_on: date) -> bytes:
    """A workbook with one worksheet per sheet, laid out for A4 landscape printing, charts beside the table."""
    book = new_workbook()
    for sheet in sheets:
        table = Table(
            sheet.name,
            sheet.title,
            sheet.period,
            sheet.jurisdiction,
            sheet.headings,
            sheet.rows,
            sheet.total,
            sheet.notes,
        )
        placed = place_table(book.create_sheet(sheet.name[:31]), table, issuer=ISSUER, made_on=made_on)
        for number, chart in enumerate(sheet.charts):
            anchor_row = placed.heading_row + number * 20
            add_chart(
                placed,
                title=chart.title,
                values=chart.values,
                kind=chart.kind,
                y_title=chart.y_title,
                anchor=f"{get_column_letter(placed.columns + 2)}{anchor_row}",
            )
    return workbook_bytes(book)


def to_csv(sheet: Sheet) -> bytes:
    """The sheet's heading row, data rows and total row as CSV (the title and notes are left out)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    for row in [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 (RFC 5987) Chinese name."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "report"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
