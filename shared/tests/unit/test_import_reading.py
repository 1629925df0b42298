"""Reading import files: columns found by Chinese, English or alias headings; UTF-8 (BOM or not) and GBK CSV;
XLSX with typed dates and numbers; a row named by its spreadsheet row; the template's headings read back."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from pydantic import BaseModel

from shared.imports import Heading, ImportKind, UnreadableFile, read_file, template_workbook
from shared.imports.running import validate_rows


class Row(BaseModel):
    """A row of the test kind."""

    name: str
    count: int
    on: date


KIND = ImportKind(
    name="things",
    title="测试导入",
    model=Row,
    headings=(
        Heading("name", "名称", ("单位名称",), required=True),
        Heading("count", "数量", required=True),
        Heading("on", "日期"),
    ),
)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_an_office_saves(encoding: str) -> None:
    text = "单位名称,count,日期,备注\r\n甲厂,3,2023-01-05,不读\r\n\r\n乙厂,4,2023-02-01,\r\n"
    parsed = read_file(KIND, text.encode(encoding), "things.csv", max_rows=10)
    assert parsed.format == "csv"
    assert [(r.line, r.values) for r in parsed.rows] == [
        (2, {"name": "甲厂", "count": "3", "on": "2023-01-05"}),
        (4, {"name": "乙厂", "count": "4", "on": "2023-02-01"}),
    ]


def test_xlsx_typed_cells_read_as_the_text_the_model_parses() -> None:
    content = _xlsx(
        [["名称", "数量", "日期"], ["甲厂", 3.0, datetime(2023, 1, 5)], [None, None, None], ["乙厂", 4, None]]
    )
    parsed = read_file(KIND, content, "things.xlsx", max_rows=10)
    rows, problems = validate_rows(KIND, parsed)
    assert parsed.format == "xlsx"
    assert [(line, row.count, row.on) for line, row in rows] == [(2, 3, date(2023, 1, 5))]
    assert problems == [{"field": "rows[4].on", "reason": "Field required"}]


def test_a_file_without_a_required_heading_or_with_too_many_rows_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="lacks the columns: 数量"):
        read_file(KIND, "名称,日期\n甲厂,2023-01-05\n".encode(), "a.csv", max_rows=10)
    with pytest.raises(UnreadableFile, match="more than 1 rows"):
        read_file(KIND, "名称,数量\n甲,1\n乙,2\n".encode(), "a.csv", max_rows=1)
    with pytest.raises(UnreadableFile, match="neither UTF-8 nor GBK"):
        read_file(KIND, b"\xff\xfe\x00\xd8\x00", "a.csv", max_rows=1)


def test_the_template_is_read_back_as_an_empty_file_of_its_kind() -> None:
    parsed = read_file(KIND, template_workbook(KIND), "模板.xlsx", max_rows=10)
    assert parsed.rows == []
