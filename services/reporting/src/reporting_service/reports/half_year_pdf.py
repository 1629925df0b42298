"""The half-year summary as the bureau's report reads: sections in running Chinese text, then the tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from reporting_service.reports.export import ISSUER, ROUNDING_NOTE
from shared.documents.pdf import OfficialPdf, chinese_date

# The bureau's report opens with the hazards' closed loop, then 挂牌督办, enforcement and supervisors.
SECTION_ORDER = (
    ("turnaround_battle", "隐患排查整改闭环"),
    ("major_hazard_campaign", "重大事故隐患挂牌督办"),
    ("enforcement", "监管执法"),
    ("crackdown", "打非治违"),
    ("resident_supervisors", "驻企安全生产监督员"),
    ("leader_inspections", "市级领导督导检查"),
    ("fire_check", "消防安全大检查"),
    ("supplementary", "会议、宣传教育"),
)
_NUMERALS = "一二三四五六七八九十"


def _figure(value: Any, unit: str) -> str:
    if value is None:
        return "无(分母为0)"
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
    return f"{value}{unit}"


def sentence(items: list[dict[str, Any]]) -> str:
    """The items of a section as one sentence of running text, e.g. 立案1209起,实施经济处罚281.9653万元。"""
    return ",".join(f"{it['label']}{_figure(it['value'], it['unit'])}" for it in items) + "。"


def half_year_pdf(body: dict[str, Any], *, jurisdiction: str, made_on: date) -> bytes:
    """An A4 PDF of the summary: title, period, one paragraph per section, rate chart, then the tables."""
    pdf = OfficialPdf(title=body["title"])
    pdf.heading(body["title"])
    period = body["period"]
    span = f"{chinese_date(period['date_from'])}至{chinese_date(period['date_to'])}"
    pdf.paragraph(f"统计范围:{jurisdiction};统计期间:{span}。", indent=False)
    sections = {s["code"]: s for s in body["sections"]}
    present = [(code, heading) for code, heading in SECTION_ORDER if sections.get(code, {}).get("items")]
    for number, (code, heading) in enumerate(present):
        section = sections[code]
        pdf.paragraph(f"{_NUMERALS[number]}、{heading}。{section['title']}:{sentence(section['items'])}")
    rates = [
        (it["label"], float(it["value"]))
        for s in body["sections"]
        for it in s["items"]
        if it["unit"] == "%" and it["value"] is not None
    ]
    pdf.bar_chart("整改率、挂牌率与覆盖率", rates, unit="%")
    for code, heading in present:
        section = sections[code]
        pdf.paragraph(heading, size=13, indent=False)
        rows = [
            ["指标", "数值", "单位"],
            *([it["label"], _figure(it["value"], ""), it["unit"]] for it in section["items"]),
        ]
        pdf.ruled_table(rows, widths=(100, 40, 30), size=10)
    pdf.paragraph(f"注:{ROUNDING_NOTE}", size=9, indent=False)
    pdf.sign_off(ISSUER, made_on)
    return pdf.to_bytes()
