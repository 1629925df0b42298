"""HTTP routes of statistics."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from reporting_service.statistics.models import DailyCounter
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.errors import ValidationFailed, field_error

router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])


class IndicatorTotals(BaseModel):
    """Totals of each indicator over a date range."""

    date_from: date
    date_to: date
    totals: dict[str, int]


@router.get("/totals", response_model=IndicatorTotals, summary="Indicator totals over a date range")
async def totals(
    request: Request,
    date_from: date = Query(...),
    date_to: date = Query(...),
    principal: Principal = Depends(require_roles(*Role)),
) -> IndicatorTotals:
    """Sum of each indicator over [date_from, date_to], within the caller's jurisdiction."""
    if date_to < date_from:
        raise ValidationFailed("empty range", errors=[field_error("date_to", "must not be before date_from")])
    stmt = (
        select(DailyCounter.indicator, func.sum(DailyCounter.value))
        .where(DailyCounter.day.between(date_from, date_to))
        .group_by(DailyCounter.indicator)
    )
    prefixes = principal.jurisdiction_prefixes()
    if not principal.sees_everything:
        stmt = stmt.where(func.starts_with(DailyCounter.township_code, func.any(prefixes)))
    async with request.app.state.sessionmaker() as session:
        rows = (await session.execute(stmt)).all()
    return IndicatorTotals(date_from=date_from, date_to=date_to, totals={k: int(v) for k, v in rows})
