"""Rendering notices (HTML, PDF) and rosters (XLSX).

The PDF embeds the subset of Noto Sans SC it draws (shared.documents.pdf), so it prints the same on
a machine without Chinese fonts.
"""

from __future__ import annotations

import html
from datetime import date

from shared.documents.pdf import OfficialPdf, chinese_date
from shared.documents.xlsx import Table, new_workbook, place_table, workbook_bytes
from supervisor_service.postings.domain import DUTIES, NOTICE_TITLE, ROSTER_HEADINGS, NoticeFacts

ISSUER = "洪江市安全生产委员会办公室"


def notice_html(facts: NoticeFacts) -> str:
    """A printable HTML page of the notice."""
    rows = "\n".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>" for label, value in facts.lines()
    )
    duties = "\n".join(f"<li>{html.escape(d)}</li>" for d in DUTIES)
    township = f"<p class='issuer'>{html.escape(facts.township_name)}</p>" if facts.township_name else ""
    title = f"{NOTICE_TITLE} - {facts.enterprise_name}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: "SimSun", "Songti SC", serif; max-width: 180mm; margin: 10mm auto; }}
h1 {{ text-align: center; letter-spacing: 0.2em; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #000; padding: 3mm; text-align: left; }}
th {{ width: 35%; background: #f3f3f3; }}
.issuer {{ text-align: right; }}
@media print {{ body {{ margin: 0; }} }}
</style></head>
<body>
<h1>{html.escape(NOTICE_TITLE)}</h1>
<table>
{rows}
</table>
<h2>监督员职责</h2>
<ol>
{duties}
</ol>
<p>如发现企业存在安全生产违法行为或事故隐患, 请拨打投诉举报电话 {html.escape(facts.complaint_hotline)}。</p>
{township}
</body></html>
"""


def notice_pdf(facts: NoticeFacts, *, issued_on: date) -> bytes:
    """An A4 PDF of the notice with its Chinese font embedded, ending with the issuer, date and seal area."""
    pdf = OfficialPdf(title=NOTICE_TITLE)
    pdf.heading(NOTICE_TITLE, size=22)
    pdf.ruled_table([["项目", "内容"], *facts.lines()], widths=(45, 125), size=12)
    pdf.paragraph("监督员职责", size=14, indent=False)
    for number, duty in enumerate(DUTIES, start=1):
        pdf.paragraph(f"{number}. {duty}", indent=False)
    pdf.paragraph(f"如发现企业存在安全生产违法行为或事故隐患, 请拨打投诉举报电话 {facts.complaint_hotline}。")
    pdf.sign_off(facts.township_name or ISSUER, issued_on)
    return pdf.to_bytes()


def roster_xlsx(township_name: str, rows: list[list[object]], *, today: date) -> bytes:
    """The township's roster of resident supervisors, laid out for print with a total row."""
    book = new_workbook()
    roster = Table(
        "派驻监督员名单",
        f"{township_name}派驻企业安全生产监督员名单",
        f"截至{chinese_date(today)}",
        township_name,
        list(ROSTER_HEADINGS),
        rows,
        ["合计", f"共{len(rows)}家企业", *[None] * (len(ROSTER_HEADINGS) - 2)],
    )
    place_table(book.create_sheet("派驻监督员名单"), roster, issuer=township_name, made_on=today)
    return workbook_bytes(book)
