"""HTTP routes of the statistics (reads only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from reporting_service.freshness import service as freshness_service
from reporting_service.statistics import service
from reporting_service.statistics.domain import ROUNDING_RULE, Period, PeriodKind, resolve_period
from reporting_service.statistics.schemas import BreakdownRead, FiltersRead, FreshnessRead, StatisticsRead
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.errors import ValidationFailed, field_error
from shared.http.dependencies import ReadSession
from shared.reference_data.campaigns import campaigns

READERS = (Role.CITY_ADMIN, Role.LEADER, Role.INTEGRATION, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER)
router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])


async def period_params(
    period: PeriodKind = Query(
        PeriodKind.MONTH, description="day | month | quarter | half_year | year | custom | since_campaign"
    ),
    on: date | None = Query(
        None, alias="date", description="Any day inside the period (not for custom); the as-of day of since_campaign."
    ),
    date_from: date | None = Query(None, description="First day of a custom period."),
    date_to: date | None = Query(None, description="Last day of a custom period."),
    since_campaign: str | None = Query(
        None,
        max_length=64,
        description="For period=since_campaign: the campaign (campaigns.json) from whose start the period runs.",
    ),
) -> Period:
    """The period a statistics request asks for."""
    started_on = None
    if period is PeriodKind.SINCE_CAMPAIGN:
        campaign = campaigns().get(since_campaign or "")
        if campaign is None or campaign.started_on is None:
            problem = "name a campaign of campaigns.json whose start is known"
            raise ValidationFailed(problem, errors=[field_error("since_campaign", problem)])
        started_on = campaign.started_on
    field = "date" if period is not PeriodKind.CUSTOM else "date_to"
    return checked_period(field, period, on, date_from, date_to, started_on)


def checked_period(
    field: str,
    kind: PeriodKind,
    on: date | None,
    date_from: date | None = None,
    date_to: date | None = None,
    started_on: date | None = None,
) -> Period:
    """The period of `kind` (see `resolve_period`), or a 422 naming `field` when the dates give none."""
    try:
        return resolve_period(kind, on, date_from, date_to, started_on)
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors=[field_error(field, str(exc))]) from None


async def reader_scope(principal: Annotated[Principal, Depends(require_roles(*READERS))]) -> Scope:
    """The reach of a caller allowed to read the statistics and reports."""
    return Scope(principal)


ReaderScope = Annotated[Scope, Depends(reader_scope)]
RequestedPeriod = Annotated[Period, Depends(period_params)]
RequestedFilters = Annotated[FiltersRead, Query()]


@router.get(
    "",
    response_model=StatisticsRead,
    summary="Every statistic for a period and filter",
    description=f"Reads a few pre-aggregated counter rows whatever the history size. {ROUNDING_RULE}",
)
async def get_statistics(
    period: RequestedPeriod, requested: RequestedFilters, scope: ReaderScope, session: ReadSession
) -> StatisticsRead:
    """Hazard, enforcement, leader-inspection and supervisor figures."""
    return await service.get_statistics(session=session, scope=scope, period=period, requested=requested)


@router.get(
    "/breakdown",
    response_model=BreakdownRead,
    summary="Statistics per township, department, industry or campaign",
    description=ROUNDING_RULE,
)
async def get_breakdown(
    by: Annotated[Literal["township", "department", "industry", "campaign"], Query()],
    period: RequestedPeriod,
    requested: RequestedFilters,
    scope: ReaderScope,
    session: ReadSession,
) -> BreakdownRead:
    """One row of figures per unit of the dimension."""
    return await service.get_breakdown(session=session, scope=scope, period=period, requested=requested, by=by)


@router.get(
    "/freshness",
    response_model=FreshnessRead,
    summary="How current the statistics are, per topic",
    description="Lag in messages (broker end offsets minus the projections group's committed offsets) and the "
    "time of the last applied event. The worker also exports reporting_* gauges on its metrics port.",
)
async def get_freshness(request: Request, _: ReaderScope, session: ReadSession) -> FreshnessRead:
    """Freshness per topic."""
    settings = request.app.state.settings
    return await freshness_service.get_freshness(
        session=session,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        timeout_s=settings.freshness_broker_timeout_s,
    )
