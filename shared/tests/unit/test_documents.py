"""The shared document builders: print layout of a workbook and the embedded font of a PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from shared.documents.pdf import OfficialPdf, chinese_date
from shared.documents.xlsx import Table, add_chart, display_width, new_workbook, place_table, workbook_bytes
from shared.testing.poppler import pdf_fonts, pdf_text, render_page


def test_a_chinese_character_takes_two_columns() -> None:
    assert display_width("整改率(%)") == 9
    assert chinese_date(date(2026, 12, 3)) == "2026年12月3日"


def test_a_placed_table_is_ruled_typed_totalled_signed_and_set_up_for_a4_landscape() -> None:
    book = new_workbook()
    table = Table(
        "台账",
        "洪江市测试台账",
        "2026年1月1日至2026年6月30日",
        "黔城镇",
        ["乡镇", "发现日期", "整改资金(万元)", "其中乡镇办理简易程序委托执法案件(起)"],
        [["黔城镇", date(2026, 1, 2), Decimal("1.1"), 3]],
        ["合计", None, Decimal("1.1"), 3],
        ["测试说明。"],
    )
    placed = place_table(book.create_sheet("台账"), table, issuer="洪江市应急管理局", made_on=date(2026, 7, 1))
    add_chart(placed, title="案件", values=[4])
    ws = load_workbook(io.BytesIO(workbook_bytes(book)))["台账"]
    assert ws["A1"].value == "洪江市测试台账"
    assert ws["A2"].value == "统计范围:黔城镇    统计期间:2026年1月1日至2026年6月30日"
    assert ws["B4"].value.date() == date(2026, 1, 2)
    assert ws["B4"].number_format == "yyyy-mm-dd"
    assert ws["C4"].value == 1.1
    assert ws["A5"].value == "合计"
    assert ws["A4"].border.left.style == "thin"
    assert ws.column_dimensions["D"].width >= 10
    # The long heading wraps in its column; its row is tall enough for its lines so they print over nothing.
    wrapped_lines = -(-display_width("其中乡镇办理简易程序委托执法案件(起)") // (ws.column_dimensions["D"].width - 1))
    assert wrapped_lines >= 2
    assert ws.row_dimensions[3].height >= 15 * wrapped_lines
    assert ws["A6"].value == "注:测试说明。"
    assert ws["A8"].value.startswith("制表单位:洪江市应急管理局")
    assert "审核人:" in ws["A8"].value
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.print_title_rows == "$3:$3"
    assert len(ws._charts) == 1


def test_a_pdf_embeds_the_subset_of_its_chinese_font() -> None:
    pdf = OfficialPdf(title="测试")
    pdf.heading("洪江市测试文件")
    pdf.ruled_table([["项目", "内容"], ["统一社会信用代码", "91431281MA4PEM8F7R"]], widths=(50, 120))
    pdf.sign_off("洪江市应急管理局", date(2026, 12, 3))
    document = pdf.to_bytes()
    assert len(document) < 200_000, "a subset, not the whole 19 MB collection"
    assert pdf_fonts(document) == [(pdf_fonts(document)[0][0], True)]
    assert "+NotoSansCJKSC" in pdf_fonts(document)[0][0]
    text = pdf_text(document)
    assert "洪江市测试文件" in text
    assert "2026年12月3日" in text
    png, complaints = render_page(document)
    assert png.startswith(b"\x89PNG")
    assert complaints == ""
