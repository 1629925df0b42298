"""Tables as XLSX (openpyxl, Chinese headings) and CSV (UTF-8 with BOM so Excel reads the Chinese)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass
class Sheet:
    """A titled table: headings and rows of plain values."""

    name: str
    title: str
    headings: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _cell(value: Any) -> Any:
    # XLSX stores numbers as doubles; a value with 2 or 4 decimals reads back as the same decimal.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet: title row, heading row, data rows, notes."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append([sheet.title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(sheet.headings), 1))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append(sheet.headings)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
        for note in sheet.notes:
            ws.append([note])
        for index, heading in enumerate(sheet.headings, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(heading) * 2 + 2))
        ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    """The sheet's heading row and data rows as CSV (the title and notes are left out)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    for row in sheet.rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 (RFC 5987) Chinese name."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "report"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
