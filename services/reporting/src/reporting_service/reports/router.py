"""HTTP routes of the reports: JSON by default, `format=xlsx` or `format=csv` for the tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

import asyncpg
from fastapi import APIRouter, Depends, Path, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.reports import service, supplementary
from reporting_service.reports.domain import default_weights, parse_weights
from reporting_service.reports.export import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    Sheet,
    content_disposition,
    to_csv,
    to_xlsx,
)
from reporting_service.reports.schemas import SupplementaryFigureRead, SupplementaryFigureWrite
from reporting_service.statistics.domain import ROUNDING_RULE
from reporting_service.statistics.router import READERS, read_connection, read_session
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db.uow import UnitOfWork
from shared.errors import ValidationFailed, field_error
from shared.http.dependencies import get_uow

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Format = Literal["json", "xlsx", "csv"]
FORMAT_QUERY = Query("json", description="json, xlsx (one sheet per table, Chinese headings) or csv (first table)")


def _render(body: dict[str, Any], sheets: list[Sheet], fmt: str, filename: str) -> Response:
    if fmt == "xlsx":
        return Response(
            to_xlsx(sheets),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(f"{filename}.xlsx")},
        )
    if fmt == "csv":
        return Response(
            to_csv(sheets[0]),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(f"{filename}.csv")},
        )
    return JSONResponse(jsonable_encoder(body, custom_encoder={Decimal: str}))


@router.get(
    "/monthly-dispatch",
    summary="一月一调度: monthly dispatch table per department or township",
    description=f"Month and year-to-date figures of every unit, with a total row. {ROUNDING_RULE}",
)
async def monthly_dispatch(
    month: str = Query(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM"),
    by: Literal["department", "township"] = Query("department"),
    fmt: Format = FORMAT_QUERY,
    principal: Principal = Depends(require_roles(*READERS)),
    conn: asyncpg.Connection = Depends(read_connection),
) -> Response:
    """The monthly dispatch table."""
    year, number = (int(p) for p in month.split("-"))
    body, sheets = await service.monthly_dispatch(conn=conn, principal=principal, year=year, month=number, by=by)
    return _render(body, sheets, fmt, f"一月一调度_{month}_{by}")


@router.get(
    "/quarterly-ranking",
    summary="一季一排名: quarterly ranking with configurable indicators and weights",
    description="`weights` is `indicator:weight,...` (positive integers); without it the weights in force for the "
    "quarter apply. Indicators: inspections, persons_deployed, enterprise_checks, cases_filed, fines_fen, "
    "stop_orders, hazards_found, hazard_rectification_rate, inspection_plan_completion_rate, supervisor_visits. "
    "Score = Σ(value / best value × 100 × weight) / Σ weights; ties share a rank. " + ROUNDING_RULE,
)
async def quarterly_ranking(
    year: int = Query(..., ge=2000, le=2100),
    quarter: int = Query(..., ge=1, le=4),
    by: Literal["department", "township"] = Query("department"),
    weights: str | None = Query(None, description="e.g. inspections:30,cases_filed:40,hazard_rectification_rate:30"),
    fmt: Format = FORMAT_QUERY,
    principal: Principal = Depends(require_roles(*READERS)),
    conn: asyncpg.Connection = Depends(read_connection),
) -> Response:
    """The quarterly ranking with each unit's score breakdown."""
    try:
        chosen = parse_weights(weights) if weights else default_weights(date(year, quarter * 3, 1))
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors=[field_error("weights", str(exc))]) from None
    body, sheets = await service.quarterly_ranking(
        conn=conn, principal=principal, year=year, quarter=quarter, by=by, weights=chosen
    )
    return _render(body, sheets, fmt, f"一季一排名_{year}Q{quarter}_{by}")


@router.get(
    "/campaigns/{campaign_code}",
    summary="Campaign report: a campaign's figures overall, per township and per industry",
    description=ROUNDING_RULE,
)
async def campaign_report(
    campaign_code: str = Path(...),
    date_from: date = Query(...),
    date_to: date = Query(...),
    fmt: Format = FORMAT_QUERY,
    principal: Principal = Depends(require_roles(*READERS)),
    conn: asyncpg.Connection = Depends(read_connection),
) -> Response:
    """The campaign report."""
    if date_to < date_from:
        raise ValidationFailed("empty range", errors=[field_error("date_to", "must not be before date_from")])
    body, sheets = await service.campaign_report(
        conn=conn, principal=principal, code=campaign_code, date_from=date_from, date_to=date_to
    )
    return _render(body, sheets, fmt, f"专项行动_{campaign_code}")


@router.get(
    "/half-year-summary",
    summary="Half-year summary with every indicator of the bureau's half-year work report",
    description=ROUNDING_RULE,
)
async def half_year_summary(
    year: int = Query(..., ge=2000, le=2100),
    half: int = Query(..., ge=1, le=2),
    fmt: Format = FORMAT_QUERY,
    principal: Principal = Depends(require_roles(*READERS)),
    conn: asyncpg.Connection = Depends(read_connection),
) -> Response:
    """The half-year summary."""
    body, sheets = await service.half_year_summary(conn=conn, principal=principal, year=year, half=half)
    return _render(body, sheets, fmt, f"半年总结_{year}H{half}")


@router.put(
    "/supplementary-figures",
    response_model=SupplementaryFigureRead,
    summary="Enter a figure no service publishes (meetings, training, publicity) for a period",
)
async def put_supplementary_figure(
    body: SupplementaryFigureWrite,
    _: Principal = Depends(require_roles(Role.CITY_ADMIN)),
    uow: UnitOfWork = Depends(get_uow),
) -> SupplementaryFigureRead:
    """Create or replace the figure of (period, indicator)."""
    return await supplementary.put_figure(uow=uow, figure=body)


@router.get(
    "/supplementary-figures",
    response_model=list[SupplementaryFigureRead],
    summary="Supplementary figures inside a period",
)
async def list_supplementary_figures(
    date_from: date = Query(...),
    date_to: date = Query(...),
    _: Principal = Depends(require_roles(*READERS)),
    session: AsyncSession = Depends(read_session),
) -> list[SupplementaryFigureRead]:
    """Figures whose period lies inside [date_from, date_to]."""
    return await supplementary.list_figures(session=session, date_from=date_from, date_to=date_to)
