"""Workbooks as an office prints them: title, period and jurisdiction above a ruled table with typed
numbers and dates, totals, notes in Chinese, the 制表单位 / 制表人 / 审核人 / 日期 line, A4 landscape
page setup with the heading row repeated, and native charts."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shared.documents.pdf import chinese_date

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="000000")
_RULED = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADING_FILL = PatternFill("solid", fgColor="D9E1F2")
_MAX_WIDTH = 48


@dataclass
class Table:
    """A table an official reads: headings, data rows, an optional total row and notes (all Chinese)."""

    name: str
    title: str
    period: str
    jurisdiction: str
    headings: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    """Where a table landed on its worksheet (1-based rows and columns)."""

    sheet: Worksheet
    heading_row: int
    first_row: int
    last_row: int
    total_row: int | None
    columns: int


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _typed(value: Any) -> tuple[Any, str | None]:
    # Exact decimals become numbers with as many decimals as they carry; dates stay dates.
    if isinstance(value, Decimal):
        places = max(-int(value.as_tuple().exponent), 0)
        return float(value), "0" if places == 0 else "0." + "0" * places
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    if isinstance(value, int):
        return value, "0"
    return value, None


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def place_table(ws: Worksheet, table: Table, *, issuer: str, made_on: date) -> Placed:
    """Write `table` on `ws` from A1 with its title block, rules, totals, notes, sign-off and print setup."""
    width = max(len(table.headings), 1)
    ws.append([table.title])
    ws.append([f"统计范围:{table.jurisdiction}    统计期间:{table.period}"])
    for row, size in ((1, 16), (2, 11)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).font = Font(bold=row == 1, size=size)
        ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append(table.headings)
    heading_row = ws.max_row
    for cell in ws[heading_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _RULED
    body = [*table.rows, *([table.total] if table.total is not None else [])]
    for values in body:
        ws.append([_typed(v)[0] for v in values])
        for cell, value in zip(ws[ws.max_row], values, strict=False):
            cell.number_format = _typed(value)[1] or "General"
            cell.border = _RULED
            cell.alignment = Alignment(vertical="center", wrap_text=isinstance(value, str))
    last_row = ws.max_row
    total_row = last_row if table.total is not None else None
    if total_row is not None:
        for cell in ws[total_row]:
            cell.font = Font(bold=True)
    for note in table.notes:
        ws.append([f"注:{note}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 15 * (1 + display_width(note) // max(8 * width, 40))
    ws.append([])
    ws.append([f"制表单位:{issuer}    制表人:            审核人:            制表日期:{chinese_date(made_on)}"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    _fit_columns(ws, table.headings, body)
    _print_setup(ws, heading_row=heading_row, columns=width)
    ws.freeze_panes = ws.cell(heading_row + 1, 2 if width > 6 else 1)
    return Placed(ws, heading_row, heading_row + 1, last_row, total_row, width)


def _fit_columns(ws: Worksheet, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for index, heading in enumerate(headings, start=1):
        # A heading wraps onto at most two lines; the data decide the rest.
        wanted = max([(display_width(heading) + 1) // 2, *(display_width(_shown(r[index - 1])) for r in rows)])
        ws.column_dimensions[get_column_letter(index)].width = min(max(wanted + 2, 6), _MAX_WIDTH)


def _print_setup(ws: Worksheet, *, heading_row: int, columns: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.print_area = f"A1:{get_column_letter(columns)}{ws.max_row}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def add_chart(
    placed: Placed,
    *,
    title: str,
    values: Sequence[int],
    kind: Literal["bar", "line"] = "bar",
    y_title: str = "",
    anchor: str | None = None,
) -> None:
    """A native chart of the data rows (the total row left out): categories from column A, one series
    per column in `values`, titled by their headings; placed beside the table unless `anchor` says where."""
    chart = BarChart() if kind == "bar" else LineChart()
    if isinstance(chart, BarChart):
        chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.height, chart.width = 9, max(16, 1.2 * (placed.last_row - placed.first_row + 1))
    ws, first = placed.sheet, placed.first_row
    last = placed.last_row - (1 if placed.total_row is not None else 0)
    for column in values:
        data = Reference(ws, min_col=column, min_row=placed.heading_row, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    ws.add_chart(chart, anchor or f"{get_column_letter(placed.columns + 2)}{placed.heading_row}")


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed) to place tables on."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    return book


# openpyxl writes numbers as "%.16g", so 95.65 lands in the file as 95.65000000000001 (and a
# spreadsheet shows it so); the shortest text naming the same double is what Excel itself writes.
_LONG_NUMBER = re.compile(rb"<v>(-?\d+\.\d{12,}(?:[eE][-+]?\d+)?)</v>")


def _shortest(match: re.Match[bytes]) -> bytes:
    return b"<v>" + repr(float(match.group(1))).encode() + b"</v>"


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as XLSX bytes, its numbers written in their shortest exact form."""
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = _LONG_NUMBER.sub(_shortest, data)
            target.writestr(item, data)
    return out.getvalue()
