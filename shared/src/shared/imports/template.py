"""The XLSX template of an import kind: its Chinese headings, so an office can fill it in and upload it as is."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from shared.imports.reading import ImportKind

# Required columns are shaded, so whoever fills the sheet sees which cells may not stay empty.
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(kind: ImportKind[Any]) -> bytes:
    """An empty workbook whose first row holds the kind's Chinese headings."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.title[:31]
    for index, column in enumerate(kind.headings, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(column.label) + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
