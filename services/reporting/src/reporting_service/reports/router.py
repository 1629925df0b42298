"""HTTP routes of the reports: JSON by default, `fmt=xlsx` or `fmt=csv` for the tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

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
from reporting_service.reports.half_year_pdf import half_year_pdf
from reporting_service.reports.schemas import (
    CampaignReport,
    HalfYearSummaryReport,
    MonthlyDispatchReport,
    QuarterlyRankingReport,
    SupplementaryFigureRead,
    SupplementaryFigureWrite,
)
from reporting_service.statistics.domain import ROUNDING_RULE, YEARS, PeriodKind
from reporting_service.statistics.router import ReaderScope, checked_period
from shared import clock
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.errors import ValidationFailed, field_error
from shared.http.dependencies import ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Format = Annotated[
    Literal["json", "xlsx", "csv"],
    Query(description="json, xlsx (one sheet per table, Chinese headings) or csv (first table)"),
]
UnitDimension = Annotated[Literal["department", "township"], Query()]
Year = Annotated[int, Query(ge=YEARS[0], le=YEARS[-1])]
Admin = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN))]
# The decorator a route declaration gives.
Route = Callable[[Callable[..., Any]], Callable[..., Any]]


def _report(path: str, model: type[BaseModel], *files: str, summary: str, description: str) -> Route:
    """A report's GET route: its JSON body is `model`; its XLSX and CSV forms (and `files`) are downloads."""
    responses = download(XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE, *files)
    return router.get(path, response_model=model, responses=responses, summary=summary, description=description)


def _render(report: tuple[dict[str, Any], list[Sheet]], fmt: str, filename: str) -> Response:
    body, sheets = report
    if fmt == "xlsx":
        return Response(
            to_xlsx(sheets, made_on=clock.today()),
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


@_report(
    "/monthly-dispatch",
    MonthlyDispatchReport,
    summary="一月一调度: monthly dispatch table per department or township",
    description=f"Month and year-to-date figures of every unit, with a total row. {ROUNDING_RULE}",
)
async def monthly_dispatch(
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
    scope: ReaderScope,
    session: ReadSession,
    by: UnitDimension = "department",
    fmt: Format = "json",
) -> Response:
    """The monthly dispatch table."""
    year, number = (int(p) for p in month.split("-"))
    if year not in YEARS:
        message = f"months lie in the years {YEARS[0]} to {YEARS[-1]}"
        raise ValidationFailed(message, errors=[field_error("month", message)])
    report = await service.monthly_dispatch(session=session, scope=scope, year=year, month=number, by=by)
    return _render(report, fmt, f"一月一调度_{month}_{by}")


@_report(
    "/quarterly-ranking",
    QuarterlyRankingReport,
    summary="一季一排名: quarterly ranking with configurable indicators and weights",
    description="`weights` is `indicator:weight,...` (positive integers); without it the weights in force for the "
    "quarter apply. Indicators: inspections, persons_deployed, enterprise_checks, cases_filed, fines_fen, "
    "stop_orders, hazards_found, hazard_rectification_rate, inspection_plan_completion_rate, supervisor_visits. "
    "Score = Σ(value / best value × 100 × weight) / Σ weights; ties share a rank. " + ROUNDING_RULE,
)
async def quarterly_ranking(
    year: Year,
    quarter: Annotated[int, Query(ge=1, le=4)],
    scope: ReaderScope,
    session: ReadSession,
    by: UnitDimension = "department",
    weights: Annotated[
        str | None, Query(description="e.g. inspections:30,cases_filed:40,hazard_rectification_rate:30")
    ] = None,
    fmt: Format = "json",
) -> Response:
    """The quarterly ranking with each unit's score breakdown."""
    try:
        chosen = parse_weights(weights) if weights else default_weights(date(year, quarter * 3, 1))
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors=[field_error("weights", str(exc))]) from None
    report = await service.quarterly_ranking(
        session=session, scope=scope, year=year, quarter=quarter, by=by, weights=chosen
    )
    return _render(report, fmt, f"一季一排名_{year}Q{quarter}_{by}")


@_report(
    "/campaigns/{campaign_code}",
    CampaignReport,
    summary="Campaign report: a campaign's figures overall, per township and per industry",
    description=ROUNDING_RULE,
)
async def campaign_report(
    campaign_code: Annotated[str, Path()],
    date_from: Annotated[date, Query()],
    date_to: Annotated[date, Query()],
    scope: ReaderScope,
    session: ReadSession,
    fmt: Format = "json",
) -> Response:
    """The campaign report."""
    period = checked_period("date_to", PeriodKind.CUSTOM, None, date_from, date_to)
    report = await service.campaign_report(session=session, scope=scope, code=campaign_code, period=period)
    return _render(report, fmt, f"专项行动_{campaign_code}")


@_report(
    "/half-year-summary",
    HalfYearSummaryReport,
    "application/pdf",
    summary="Half-year summary with every indicator of the bureau's half-year work report",
    description=ROUNDING_RULE,
)
async def half_year_summary(
    year: Year,
    half: Annotated[int, Query(ge=1, le=2)],
    scope: ReaderScope,
    session: ReadSession,
    fmt: Annotated[
        Literal["json", "xlsx", "csv", "pdf"],
        Query(description="json, xlsx, csv, or pdf (the report in running Chinese text, then its tables)"),
    ] = "json",
) -> Response:
    """The half-year summary."""
    report = await service.half_year_summary(session=session, scope=scope, year=year, half=half)
    filename = f"半年总结_{year}H{half}"
    if fmt == "pdf":
        document = half_year_pdf(report[0], jurisdiction=service.jurisdiction_name(scope), made_on=clock.today())
        headers = {"Content-Disposition": content_disposition(f"{filename}.pdf")}
        return Response(document, media_type="application/pdf", headers=headers)
    return _render(report, fmt, filename)


@router.put(
    "/supplementary-figures",
    response_model=SupplementaryFigureRead,
    summary="Enter a figure no service publishes (meetings, training, publicity) for a period",
)
async def put_supplementary_figure(
    body: SupplementaryFigureWrite, principal: Admin, uow: UoW
) -> SupplementaryFigureRead:
    """Create or replace the figure of (period, indicator)."""
    return await supplementary.put_figure(uow=uow, actor=principal, figure=body)


@router.get(
    "/supplementary-figures",
    response_model=Page[SupplementaryFigureRead],
    summary="Supplementary figures inside a period",
)
async def list_supplementary_figures(
    date_from: Annotated[date, Query()], date_to: Annotated[date, Query()], _: ReaderScope, session: ReadSession
) -> Page[SupplementaryFigureRead]:
    """Figures whose period lies inside [date_from, date_to], in one page."""
    figures = await supplementary.list_figures(session=session, date_from=date_from, date_to=date_to)
    return Page[SupplementaryFigureRead].whole(figures)
