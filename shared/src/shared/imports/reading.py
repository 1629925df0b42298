"""Reading an import file (CSV in UTF-8, with or without BOM, or GBK/GB18030 as Excel in China writes it; or
XLSX) into rows keyed by field name, the columns found by their English or Chinese headings."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from openpyxl import load_workbook
from pydantic import BaseModel

from shared.errors import ValidationFailed, field_error

RowModel = TypeVar("RowModel", bound=BaseModel)


@dataclass(frozen=True)
class Heading:
    """One column of an import kind: the row model's field, its Chinese heading and other accepted spellings."""

    field: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ImportKind(Generic[RowModel]):
    """What one kind of import file holds: its name, its columns and the model each row must satisfy."""

    name: str
    title: str
    headings: tuple[Heading, ...]
    model: type[RowModel]

    def field_of(self, heading: str) -> str | None:
        """The field a heading names (English field name, Chinese label or alias; case and spaces ignored)."""
        wanted = heading.strip().lstrip("\ufeff").strip().lower()
        for column in self.headings:
            if wanted in {column.field.lower(), column.label.lower(), *(a.lower() for a in column.aliases)}:
                return column.field
        return None


@dataclass(frozen=True)
class RawRow:
    """One data row: its row number as a spreadsheet shows it (the heading is row 1) and its non-empty cells."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class ParsedFile:
    """The data rows of an import file and its format."""

    format: Literal["csv", "xlsx"]
    rows: list[RawRow]


class UnreadableFile(ValidationFailed):
    """The uploaded file is not a CSV or XLSX file of the kind (encoding, format, headings, size)."""

    type_slug = "unreadable-import-file"
    title = "Unreadable import file"


def _unreadable(reason: str) -> UnreadableFile:
    return UnreadableFile(reason, errors=[field_error("file", reason)])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Excel stores a typed date as a midnight timestamp.
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(kind: ImportKind[RowModel], table: list[tuple[int, list[str]]], max_rows: int) -> list[RawRow]:
    if not table:
        raise _unreadable("the file is empty")
    _, headings = table[0]
    fields = [kind.field_of(h) for h in headings]
    missing = [c.label for c in kind.headings if c.required and c.field not in fields]
    if missing:
        raise _unreadable(f"the heading row lacks the columns: {', '.join(missing)}")
    rows = []
    for line, cells in table[1:]:
        values = {f: cells[i].strip() for i, f in enumerate(fields) if f and i < len(cells) and cells[i].strip()}
        if not values:
            continue
        rows.append(RawRow(line=line, values=values))
        if len(rows) > max_rows:
            raise _unreadable(f"the file has more than {max_rows} rows; split it")
    return rows


def _xlsx_table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable(f"not a readable XLSX file: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        return [(n, [_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _csv_table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # GB18030 is a superset of GBK, the encoding Excel in China saves CSV files in.
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise _unreadable("the CSV file is neither UTF-8 nor GBK/GB18030") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        raise _unreadable(f"not a readable CSV file: {exc}") from None


def read_file(kind: ImportKind[RowModel], content: bytes, filename: str | None, *, max_rows: int) -> ParsedFile:
    """Parse an uploaded CSV or XLSX file of `kind` (XLSX recognised by its ZIP signature or its name)."""
    if content[:2] == b"PK" or (filename or "").lower().endswith(".xlsx"):
        return ParsedFile(format="xlsx", rows=_rows(kind, _xlsx_table(content), max_rows))
    return ParsedFile(format="csv", rows=_rows(kind, _csv_table(content), max_rows))
