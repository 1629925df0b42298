"""Rendering notices (HTML, PDF) and rosters (XLSX).

The PDF uses reportlab's built-in CID font STSong-Light, so no font file is needed; the
viewer supplies the glyphs (see README).
"""

from __future__ import annotations

import html
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from supervisor_service.postings.domain import DUTIES, NOTICE_TITLE, ROSTER_HEADINGS, NoticeFacts

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


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


def notice_pdf(facts: NoticeFacts) -> bytes:
    """An A4 PDF of the notice with Chinese text in STSong-Light."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=NOTICE_TITLE,
    )
    title = ParagraphStyle("title", fontName=CJK_FONT, fontSize=20, leading=28, alignment=1, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=12, leading=18, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=14, leading=22)
    table = Table(
        [[Paragraph(html.escape(label), body), Paragraph(html.escape(value), body)] for label, value in facts.lines()],
        colWidths=[45 * mm, 125 * mm],
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        Paragraph(NOTICE_TITLE, title),
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph("监督员职责", heading),
    ]
    story += [Paragraph(f"{n}. {html.escape(d)}", body) for n, d in enumerate(DUTIES, start=1)]
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(
            f"如发现企业存在安全生产违法行为或事故隐患, 请拨打投诉举报电话 {html.escape(facts.complaint_hotline)}。",
            body,
        )
    )
    if facts.township_name:
        story.append(Paragraph(html.escape(facts.township_name), ParagraphStyle("issuer", parent=body, alignment=2)))
    document.build(story)
    return buffer.getvalue()


def roster_xlsx(township_name: str, rows: list[list[object]]) -> bytes:
    """The township's roster of resident supervisors as an XLSX workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "派驻监督员名单"
    sheet.append([f"{township_name}派驻企业安全生产监督员名单"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ROSTER_HEADINGS))
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(ROSTER_HEADINGS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJ", (6, 36, 22, 36, 10, 10, 26, 20, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
