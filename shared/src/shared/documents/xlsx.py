"""Workbooks as an office prints them: title, period and jurisdiction above a ruled table with typed
numbers and dates, totals, notes in Chinese, the 制表单位 / 制表人 / 审核人 / 日期 line, A4 landscape
page setup with the heading row repeated, and native charts."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
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
    """Write `table` on `ws` from A1 with its title block, rules, totals, notes, sign-off and print setup.

    The sheet is streamed (a write-only workbook, see `new_workbook`): column widths, frozen panes and the
    fit-to-page flag go out before the first row, each row is written once with its styles.
    """
    width = max(len(table.headings), 1)
    body = [*table.rows, *([table.total] if table.total is not None else [])]
    heading_row = 3
    last_row = heading_row + len(body)
    total_row = last_row if table.total is not None else None
    widths = _fit_columns(ws, table.headings, body)
    # A heading wider than its column wraps; its row must be as tall as its lines, or the lines print over the
    # rows above and below (the row does not grow by itself in LibreOffice, nor in Excel for a streamed sheet).
    ws.row_dimensions[heading_row].height = 15 * max(
        [-(-display_width(heading) // max(width - 1, 1)) for heading, width in zip(table.headings, widths, strict=True)]
        or [1]
    )
    ws.freeze_panes = f"{get_column_letter(2 if width > 6 else 1)}{heading_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.row_dimensions[1].height = 28
    rows = _Rows(ws, width)
    rows.merged(table.title, Font(bold=True, size=16), _CENTRED)
    rows.merged(f"统计范围:{table.jurisdiction}    统计期间:{table.period}", Font(size=11), _CENTRED)
    rows.append([rows.cell(h, font=_BOLD, fill=_HEADING_FILL, alignment=_HEADING_ALIGNMENT) for h in table.headings])
    for values in body:
        font = _BOLD if rows.count + 1 == total_row else None
        rows.append([rows.cell(v, font=font) for v in values])
    for note in table.notes:
        ws.row_dimensions[rows.count + 1].height = 15 * (1 + display_width(note) // max(8 * width, 40))
        rows.merged(f"注:{note}", None, _NOTE_ALIGNMENT)
    rows.append([])
    rows.merged(f"制表单位:{issuer}    制表人:            审核人:            制表日期:{chinese_date(made_on)}")
    _print_setup(ws, heading_row=heading_row, columns=width, last_row=rows.count)
    return Placed(ws, heading_row, heading_row + 1, last_row, total_row, width)


_BOLD = Font(bold=True)
_CENTRED = Alignment(horizontal="center", vertical="center")
_HEADING_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_NOTE_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
_TEXT_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
_VALUE_ALIGNMENT = Alignment(vertical="center", wrap_text=False)


class _Rows:
    """Appends rows to a streamed sheet, counting them (a write-only sheet cannot be asked), and styles cells
    from a few templates: assigning a style object hashes it, which for every cell of a large ledger cost more
    than everything else together."""

    def __init__(self, ws: Worksheet, width: int) -> None:
        self.ws, self.width, self.count = ws, width, 0
        self._templates: dict[tuple[int, int, int, str], StyleArray] = {}

    def append(self, cells: list[Any]) -> None:
        """One row."""
        self.ws.append(cells)
        self.count += 1

    def merged(self, text: str, font: Font | None = None, alignment: Alignment | None = None) -> None:
        """One line of text across the table's width."""
        cell = WriteOnlyCell(self.ws, text)
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        self.append([cell])
        self.ws.merged_cells.add(f"A{self.count}:{get_column_letter(self.width)}{self.count}")

    def cell(
        self,
        value: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
    ) -> WriteOnlyCell:
        """A ruled cell of a table with its typed value and number format."""
        typed, number_format = _typed(value)
        alignment = alignment or (_TEXT_ALIGNMENT if isinstance(value, str) else _VALUE_ALIGNMENT)
        key = (id(font), id(fill), id(alignment), number_format or "General")
        cell = WriteOnlyCell(self.ws, typed)
        template = self._templates.get(key)
        if template is None:
            cell.border, cell.alignment, cell.number_format = _RULED, alignment, key[3]
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            self._templates[key] = copy(cell._style)
        else:
            cell._style = copy(template)
        return cell


def _fit_columns(ws: Worksheet, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Set each column's width from its heading (wrapped onto at most two lines) and its data; return them."""
    widths = []
    for index, heading in enumerate(headings, start=1):
        wanted = max([(display_width(heading) + 1) // 2, *(display_width(_shown(r[index - 1])) for r in rows)])
        widths.append(min(max(wanted + 2, 6), _MAX_WIDTH))
        ws.column_dimensions[get_column_letter(index)].width = widths[-1]
    return widths


def _print_setup(ws: Worksheet, *, heading_row: int, columns: int, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.print_area = f"A1:{get_column_letter(columns)}{last_row}"
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
    """An empty streamed (write-only) workbook to place tables on: a sheet is written row by row, once, so a
    ledger of thousands of rows costs time in proportion to its cells."""
    return Workbook(write_only=True)


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
