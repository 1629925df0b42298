"""Statistics use cases: resolve the caller's scope, sum the counters, derive the figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service import reference
from reporting_service.projections.domain.facts import industry_of, township_of
from reporting_service.statistics import repository
from reporting_service.statistics.domain import Period, figures
from reporting_service.statistics.repository import Filters
from reporting_service.statistics.schemas import BreakdownRead, BreakdownRow, FiltersRead, PeriodRead, StatisticsRead
from shared.auth.scope import Scope

GROUPS = ("township", "department", "industry", "campaign")


def build_filters(scope: Scope, requested: FiltersRead) -> Filters:
    """Filters from the query, limited to the caller's scope (a township outside it is 404)."""
    townships: tuple[str, ...] | None = None
    if requested.township_code:
        code = township_of(requested.township_code)
        scope.ensure_visible(f"township {requested.township_code}", division=code)
        townships = (code,)
    elif not scope.everything:
        townships = tuple(code for code in reference.townships() if scope.admits(division=code))
    industry: tuple[str, ...] | None = None
    if requested.industry_code:
        code = industry_of(requested.industry_code)
        industry = (code, *reference.divisions_of_section(code)) if code.isalpha() else (code,)
    return Filters(
        township=townships,
        department=(requested.department_code,) if requested.department_code else None,
        industry=industry,
        campaign=(requested.campaign_code,) if requested.campaign_code else None,
    )


async def figures_by(
    session: AsyncSession, *, period: Period, filters: Filters, group_by: str | None = None
) -> dict[str, dict[str, Any]]:
    """Figures per key of `group_by` ('' when not grouped)."""
    flow, stock = await repository.sums(
        session, date_from=period.date_from, date_to=period.date_to, filters=filters, group_by=group_by
    )
    keys = set(flow) | set(stock) | ({""} if group_by is None else set())
    return {key: figures(flow.get(key, {}), stock.get(key, {})) for key in keys}


async def get_statistics(
    *, session: AsyncSession, scope: Scope, period: Period, requested: FiltersRead
) -> StatisticsRead:
    """Every statistic for one period and filter."""
    filters = build_filters(scope, requested)
    result = (await figures_by(session, period=period, filters=filters))[""]
    return StatisticsRead(period=PeriodRead(**period.__dict__), filters=requested, **result)


def unit_names(by: str) -> dict[str, str]:
    """Known units of a grouping dimension with their Chinese names, in report order."""
    if by == "township":
        return reference.townships()
    if by == "department":
        return reference.ranked_departments()
    if by == "industry":
        return {k: v for k, v in reference.industries().items() if not k.isalpha()}
    return reference.campaigns()


async def get_breakdown(
    *, session: AsyncSession, scope: Scope, period: Period, requested: FiltersRead, by: str
) -> BreakdownRead:
    """Statistics per township, department, industry or campaign (units without figures are omitted)."""
    filters = build_filters(scope, requested)
    per_key = await figures_by(session, period=period, filters=filters, group_by=by)
    names = unit_names(by)
    order = {code: i for i, code in enumerate(names)}
    rows = [
        BreakdownRow(code=key, name=names.get(key, key or "未注明"), **per_key[key])
        for key in sorted(per_key, key=lambda k: (order.get(k, len(order)), k))
    ]
    return BreakdownRead(period=PeriodRead(**period.__dict__), filters=requested, by=by, rows=rows)
