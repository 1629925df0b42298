"""Report documents without a database: units under their headings, exact numbers in the XLSX XML."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from reporting_service.reports.domain import CAMPAIGN_COLUMNS, RANKING_INDICATORS
from reporting_service.reports.export import Chart, Sheet, to_xlsx
from reporting_service.reports.half_year_pdf import sentence


def test_fines_print_in_yuan_under_the_yuan_heading() -> None:
    fines = RANKING_INDICATORS["fines_fen"]
    assert fines.heading == "经济处罚(元)"
    assert fines.printed(281_965_301) == Decimal("2819653.01")
    seizure = next(c for c in CAMPAIGN_COLUMNS if c.code == "enforcement.seizure_value_fen")
    assert seizure.heading == "收缴价值(元)"
    assert seizure.printed(150) == Decimal("1.50")
    assert RANKING_INDICATORS["inspections"].printed(7) == 7


def test_workbook_stores_rates_and_amounts_as_the_exact_decimals() -> None:
    sheet = Sheet(
        name="测试",
        title="洪江市测试表",
        headings=["乡镇", "整改率(%)", "经济处罚(万元)", "检查(次)"],
        rows=[["黔城镇", Decimal("95.65"), Decimal("281.9653"), 3], ["安江镇", None, Decimal("0.0001"), 0]],
        period="2023年1月1日至2023年6月30日",
        jurisdiction="洪江市(全市)",
        total=["合计", Decimal("95.65"), Decimal("281.9654"), 3],
        charts=[Chart("检查次数", (4,))],
    )
    content = to_xlsx([sheet], made_on=date(2023, 7, 10))
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    numbers = re.findall(r"<v>(-?\d+\.\d+)</v>", xml)
    assert set(numbers) == {"95.65", "281.9653", "0.0001", "281.9654"}
    book = load_workbook(io.BytesIO(content))
    ws = book["测试"]
    assert ws["B4"].value == 95.65
    assert ws["B4"].number_format == "0.00"
    assert ws["C4"].number_format == "0.0000"
    assert ws["A2"].value == "统计范围:洪江市(全市)    统计期间:2023年1月1日至2023年6月30日"
    assert len(ws._charts) == 1


def test_sections_read_as_running_text() -> None:
    items = [
        {"label": "立案", "value": 1209, "unit": "起"},
        {"label": "实施经济处罚", "value": Decimal("281.9653"), "unit": "万元"},
        {"label": "整改率", "value": None, "unit": "%"},
    ]
    assert sentence(items) == "立案1209起,实施经济处罚281.9653万元,整改率无(分母为0)。"
