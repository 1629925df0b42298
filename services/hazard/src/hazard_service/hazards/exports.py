"""The ledger (台账) export in the columns officials use: an XLSX laid out for print (title, period,
jurisdiction, typed dates and 万元, totals, a chart by status) and a CSV of the same rows."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from hazard_service.hazards.models import Hazard, HazardListing
from hazard_service.hazards.schemas import HazardFilters
from hazard_service.reference import GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS, division_names, industry_name, load
from shared.auth.scope import Scope
from shared.contracts.hazard import LISTING_LEVEL_NAMES
from shared.documents.pdf import chinese_date
from shared.documents.xlsx import Table, add_chart, new_workbook, place_table, workbook_bytes

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
FUNDS_COLUMN = LEDGER_COLUMNS.index("整改资金(万元)")
OVERDUE_COLUMN = LEDGER_COLUMNS.index("是否逾期")
ISSUER = "洪江市应急管理局"


@dataclass(frozen=True)
class LedgerHeading:
    """What the ledger's title block states: the period of the reports it lists and whose hazards."""

    period: str
    jurisdiction: str


def heading(filters: HazardFilters, scope: Scope, today: date) -> LedgerHeading:
    """The title block of a ledger exported with `filters` by a caller of `scope`."""
    names = division_names()
    if filters.reported_from or filters.reported_to:
        start = chinese_date(filters.reported_from) if filters.reported_from else "最早记录"
        period = f"{start}至{chinese_date(filters.reported_to or today)}(按发现日期)"
    else:
        period = f"截至{chinese_date(today)}"
    if filters.township_code:
        where = names.get(filters.township_code, filters.township_code)
    elif scope.everything:
        where = "洪江市(全市)"
    else:
        where = "、".join(names.get(j, j) for j in scope.principal.jurisdictions) or "洪江市"
    return LedgerHeading(period, where)


@cache
def _clauses() -> dict[tuple[str, str], str]:
    # 《standard name》 article, e.g. 《工贸企业重大事故隐患判定标准》第三条第（一）项.
    return {
        (standard["code"], clause["code"]): f"《{standard['name']}》{clause['article']}"
        for standard in load("hazard_standards.json")["items"]
        for clause in standard["clauses"]
    }


@cache
def _campaign_names() -> dict[str, str]:
    return {item["code"]: item["name"] for item in load("campaigns.json")["items"]}


def _wan_yuan(fen: int | None) -> Decimal | None:
    # 1 万元 = 1,000,000 fen: an exact decimal, typed as a number in the sheet.
    return None if fen is None else (Decimal(fen) / 1_000_000).normalize()


def ledger_rows(hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing]) -> list[list[Any]]:
    """One row per hazard in the order of LEDGER_COLUMNS, with dates and amounts as typed values."""
    names, clauses, campaigns = division_names(), _clauses(), _campaign_names()
    rows = []
    for number, h in enumerate(hazards, start=1):
        listing = listings.get(h.id)
        basis = (
            clauses.get((h.standard_code or "", h.clause_code), f"{h.standard_code} {h.clause_code}")
            if h.clause_code
            else ""
        )
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
                h.reported_on,
                h.measures or "",
                h.responsible_person or "",
                _wan_yuan(h.funds_fen),
                h.rectification_deadline,
                LISTING_LEVEL_NAMES.get(listing.level, listing.level) if listing else "",
                listing.document_number if listing else "",
                STATUS_LABELS.get(h.status, h.status),
                "是" if h.overdue else "否",
                h.closed_on,
                "、".join(campaigns.get(c, c) for c in h.campaign_codes or []),
            ]
        )
    return rows


def ledger_xlsx(
    hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing], *, title: LedgerHeading, today: date
) -> bytes:
    """The ledger sheet with its title block and total row, and a sheet counting hazards by status, charted."""
    rows = ledger_rows(hazards, listings)
    funds = sum((r[FUNDS_COLUMN] for r in rows if r[FUNDS_COLUMN] is not None), Decimal(0))
    total: list[Any] = ["合计", f"共{len(rows)}处", *[None] * (len(LEDGER_COLUMNS) - 2)]
    total[FUNDS_COLUMN] = funds
    total[OVERDUE_COLUMN] = f"逾期{sum(r[OVERDUE_COLUMN] == '是' for r in rows)}处"
    book = new_workbook()
    ledger = Table(
        "隐患台账",
        f"{title.jurisdiction}安全生产事故隐患排查治理台账",
        title.period,
        title.jurisdiction,
        list(LEDGER_COLUMNS),
        rows,
        total,
        ["整改资金按分精确记录,以万元列示;发现、整改时限、销号日期为日期型,可排序筛选。"],
    )
    place_table(book.create_sheet("隐患台账"), ledger, issuer=ISSUER, made_on=today)
    by_status = Counter((r[5], r[17]) for r in rows)
    grades = [g for g in GRADE_LABELS.values() if any(k[0] == g for k in by_status)]
    statuses = [s for s in dict.fromkeys(STATUS_LABELS.values()) if any(k[1] == s for k in by_status)]
    counts = Table(
        "按状态统计",
        f"{title.jurisdiction}事故隐患整改状态统计",
        title.period,
        title.jurisdiction,
        ["整改状态", *grades, "合计"],
        [[s, *(by_status[(g, s)] for g in grades), sum(by_status[(g, s)] for g in grades)] for s in statuses],
        ["合计", *(sum(by_status[(g, s)] for s in statuses) for g in grades), len(rows)],
    )
    placed = place_table(book.create_sheet("按状态统计"), counts, issuer=ISSUER, made_on=today)
    add_chart(placed, title="各整改状态隐患数", values=range(2, 2 + len(grades)), y_title="处")
    return workbook_bytes(book)


def ledger_csv(hazards: Sequence[Hazard], listings: dict[uuid.UUID, HazardListing]) -> bytes:
    """The ledger as UTF-8 CSV with a BOM (spreadsheet programs then read the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEDGER_COLUMNS)
    writer.writerows(["" if v is None else v for v in row] for row in ledger_rows(hazards, listings))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
