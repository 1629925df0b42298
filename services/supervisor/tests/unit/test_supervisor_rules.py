"""Pure rules of the supervisor service, no database."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from shared.imports import UnreadableFile
from shared.testing.poppler import pdf_fonts, pdf_text, render_page
from supervisor_service.assignments.domain import capacity_problem, end_date_problem, mode_of
from supervisor_service.config import SupervisorSettings
from supervisor_service.coverage.domain import coverage_rate
from supervisor_service.enterprises.domain import EnterpriseStatus, credit_code_problem, status_change_problem
from supervisor_service.enterprises.importing import normalise, read_import_file
from supervisor_service.postings.domain import NoticeFacts
from supervisor_service.postings.rendering import notice_pdf
from supervisor_service.reference.domain import IndustryScope, dataset_checksum, industry_division
from supervisor_service.rules import supervision_rules
from supervisor_service.visits.domain import quarter_bounds, visit_date_problem


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91431281MA4PEM8F7R", None),
        ("91431281794139492P", None),
        ("91431281MA4PEM8F7A", "check character should be R"),
        ("91431281MA4PEM8F7", "must be 18 characters"),
        ("91431281MA4PEM8FIR", "contains characters not allowed in a credit code: I"),
        ("9143128AMA4PEM8F7R", "characters 3-8 must be the administrative division code"),
    ],
)
def test_credit_code_check_character(code: str, problem: str | None) -> None:
    assert credit_code_problem(code) == problem


def test_status_machine() -> None:
    operating, suspended, closed = EnterpriseStatus
    assert status_change_problem(operating, suspended) is None
    assert status_change_problem(suspended, operating) is None
    assert status_change_problem(suspended, closed) is None
    assert status_change_problem(operating, operating) == "the enterprise is already operating"
    assert status_change_problem(closed, operating) == "a closed enterprise cannot become operating"


def test_capacity_dates_and_mode() -> None:
    assert capacity_problem(14, 1, 15) is None
    assert capacity_problem(14, 2, 15) is not None
    assert end_date_problem(date(2023, 3, 1), date(2023, 3, 1)) is None
    assert end_date_problem(date(2023, 3, 1), date(2023, 2, 28)) is not None
    assert [mode_of(n) for n in (0, 1, 5)] == ["none", "one_to_one", "one_to_many"]


def _settings(**overrides: int) -> SupervisorSettings:
    return SupervisorSettings(
        database_url="postgresql+asyncpg://u@localhost/db", kafka_bootstrap_servers="x:1", **overrides
    )


def test_dated_rules_with_overrides() -> None:
    rules = supervision_rules(_settings()).on(date(2023, 7, 1))
    assert (rules.coverage_min_employees, rules.max_enterprises_per_supervisor, rules.inactive_after_days) == (
        3,
        15,
        30,
    )
    overridden = supervision_rules(_settings(max_enterprises_per_supervisor=4, inactive_after_days=60)).on(
        date(2023, 7, 1)
    )
    assert (overridden.max_enterprises_per_supervisor, overridden.inactive_after_days) == (4, 60)
    assert overridden.coverage_min_employees == 3
    assert supervision_rules(_settings()).on(date(2020, 1, 1)).effective_from == date(2023, 1, 1)


def test_coverage_rate_is_exact_and_rounded_half_up() -> None:
    assert coverage_rate(196, 230) == Decimal("0.8522")
    assert coverage_rate(1, 8) == Decimal("0.1250")
    assert coverage_rate(1, 3) == Decimal("0.3333")
    assert coverage_rate(2, 3) == Decimal("0.6667")
    assert coverage_rate(0, 0) is None


def test_department_industry_scope() -> None:
    scope = IndustryScope.of(["C", "2671", "59", "482"])
    assert scope.covers("20", "C")
    assert scope.covers("2671", "C")
    assert scope.covers("5990", "G")
    assert scope.covers("4822", "E")
    assert not scope.covers("48", "E")
    assert not scope.covers("52", "F")
    assert IndustryScope.of([]).empty
    assert industry_division("2671") == "26"
    assert industry_division("C") is None


def test_dataset_checksum_ignores_key_order_but_not_content() -> None:
    a = {"version": "1", "effective_from": "2023-01-01", "items": [{"code": "x", "name": "甲"}]}
    b = {"items": [{"name": "甲", "code": "x"}], "effective_from": "2023-01-01", "version": "1", "source": "y"}
    assert dataset_checksum(a) == dataset_checksum(b)
    assert dataset_checksum(a) != dataset_checksum({**a, "items": [{"code": "x", "name": "乙"}]})


def test_quarters_and_visit_dates() -> None:
    assert quarter_bounds(2023, 1) == (date(2023, 1, 1), date(2023, 3, 31))
    assert quarter_bounds(2024, 1)[1] == date(2024, 3, 31)
    assert quarter_bounds(2023, 4) == (date(2023, 10, 1), date(2023, 12, 31))
    with pytest.raises(ValueError, match="quarter"):
        quarter_bounds(2023, 5)
    assert visit_date_problem(date(2023, 1, 2), date(2023, 1, 1)) is not None
    assert visit_date_problem(date(2023, 1, 1), date(2023, 1, 1)) is None


def test_csv_lines_headings_and_encodings() -> None:
    text = (
        "单位名称,统一社会信用代码,行业代码,乡镇代码,从业人数,高危行业,风险等级\n"
        "甲厂,x,20,431281101000,5,是,较大\n\n"
        "乙厂,y,20,431281101000,6,否,\n"
    )
    for content in (text.encode("utf-8-sig"), text.encode("gb18030")):
        parsed = read_import_file(content, "a.csv", max_rows=10)
        assert parsed.format == "csv"
        assert [r.line for r in parsed.rows] == [2, 4]
        assert parsed.rows[0].values["name"] == "甲厂"
        assert normalise(parsed.rows[0].values)["high_risk"] is True
        assert normalise(parsed.rows[0].values)["risk_level"] == "large"
        assert "risk_level" not in normalise(parsed.rows[1].values)
    with pytest.raises(UnreadableFile):
        read_import_file(text.encode(), "a.csv", max_rows=1)


def test_xlsx_rows_keep_their_row_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "credit_code", "industry_code", "township_code", "employee_count"])
    sheet.append(["甲厂", "x", "20", "431281101000", 5])
    sheet.append([None, None, None, None, None])
    sheet.append(["乙厂", "y", 20, "431281101000", 6.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_import_file(buffer.getvalue(), "a.xlsx", max_rows=10)
    assert [(r.line, r.values["employee_count"], r.values["industry_code"]) for r in parsed.rows] == [
        (2, "5", "20"),
        (4, "6", "20"),
    ]


def test_pdf_notice_text_extracts_back_in_chinese() -> None:
    facts = NoticeFacts(
        enterprise_name="洪江市托口镇天成钢结构有限公司",
        credit_code="91431281MA4PEM8F7R",
        address="湖南省怀化市洪江市托口镇杨柳村2组",
        supervisor_name="粟世雄",
        supervisor_unit="洪江市应急管理局",
        supervisor_position="危化品和工贸监管股干部",
        supervisor_phone="0745-0000000",
        start_date=date(2023, 3, 2),
        complaint_hotline="12350",
        township_name="托口镇",
    )
    document = notice_pdf(facts, issued_on=date(2023, 3, 6))
    text = pdf_text(document).replace(" ", "")
    for expected in ("派驻企业安全生产监督员公示牌", "粟世雄", "洪江市托口镇天成钢结构有限公司", "监督员职责", "12350"):
        assert expected in text
    assert "91431281MA4PEM8F7R" in text
    assert "托口镇" in text.split("12350")[-1]
    assert "2023年3月6日" in text


def test_pdf_notice_embeds_its_font_and_draws_every_character() -> None:
    """On a machine without Chinese fonts poppler draws every glyph from the PDF itself."""
    facts = NoticeFacts(
        enterprise_name="洪江市托口镇天成钢结构有限公司",
        credit_code="91431281MA4PEM8F7R",
        address=None,
        supervisor_name="粟世雄",
        supervisor_unit="洪江市应急管理局",
        supervisor_position=None,
        supervisor_phone=None,
        start_date=date(2023, 3, 2),
        complaint_hotline="12350",
        township_name=None,
    )
    document = notice_pdf(facts, issued_on=date(2023, 3, 6))
    fonts = pdf_fonts(document)
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert all("STSong" not in name for name, _ in fonts)
    png, complaints = render_page(document)
    assert png.startswith(b"\x89PNG")
    assert complaints == ""
    assert set("".join(facts.enterprise_name.split())) <= set(pdf_text(document))
