"""The ledger (台账) export in the columns officials use, as XLSX and CSV."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hazard_service.hazards.models import Hazard, HazardListing
from hazard_service.reference import GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS, division_names, industry_name

LEDGER_COLUMNS = (
    "序号",
    "台账编号",
    "企业名称",
    "所属乡镇",
    "行业",
    "隐患等级",
    "隐患来源",
    "隐患描述",
    "隐患部位",
    "判定依据",
    "发现日期",
    "整改措施",
    "整改责任人",
    "整改资金(万元)",
    "整改时限",
    "挂牌督办级别",
    "督办文号",
    "整改状态",
    "是否逾期",
    "销号日期",
    "专项行动",
)


def _wan_yuan(fen: int | None) -> str:
    # 1 万元 = 1,000,000 fen; exact decimal text, never a float.
    if fen is None:
        return ""
    whole, rest = divmod(fen, 1_000_000)
    return f"{whole}.{rest:06d}".rstrip("0").rstrip(".")


def ledger_rows(hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing]) -> list[list[Any]]:
    """One row per hazard in the order of LEDGER_COLUMNS."""
    names = division_names()
    rows = []
    for number, h in enumerate(hazards, start=1):
        listing = listings.get(h.id)
        basis = f"{h.standard_code} {h.clause_code}" if h.clause_code else ""
        rows.append(
            [
                number,
                h.ledger_number or "",
                h.enterprise_name or str(h.enterprise_id),
                names.get(h.township_code, h.township_code),
                industry_name(h.industry_code),
                GRADE_LABELS.get(h.grade, h.grade),
                SOURCE_LABELS.get(h.source, h.source),
                h.description,
                h.location or "",
                basis,
                h.reported_on.isoformat(),
                h.measures or "",
                h.responsible_person or "",
                _wan_yuan(h.funds_fen),
                h.rectification_deadline.isoformat() if h.rectification_deadline else "",
                listing.level if listing else "",
                listing.document_number if listing else "",
                STATUS_LABELS.get(h.status, h.status),
                "是" if h.overdue else "否",
                h.closed_on.isoformat() if h.closed_on else "",
                "、".join(h.campaign_codes or []),
            ]
        )
    return rows


def ledger_xlsx(hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing]) -> bytes:
    """The ledger as an XLSX workbook with a bold, frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "隐患台账"
    sheet.append(list(LEDGER_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in ledger_rows(hazards, listings):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_csv(hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing]) -> bytes:
    """The ledger as UTF-8 CSV with a BOM (spreadsheet programs then read the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEDGER_COLUMNS)
    writer.writerows(ledger_rows(hazards, listings))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
