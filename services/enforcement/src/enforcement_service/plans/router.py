"""HTTP routes of enforcement plans."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Response

from enforcement_service.access import Reader
from enforcement_service.http import CurrentAction
from enforcement_service.plans import service
from enforcement_service.plans.repository import PlanFilter
from enforcement_service.plans.schemas import PLAN_ROWS, PlanPage, PlanProgress, PlanRead, PlanSet, UnitType
from shared.http.dependencies import ReadSession
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/plans", tags=["plans"])


@router.post("", response_model=PlanRead, summary="Set a unit's annual enforcement plan")
async def set_plan(body: PlanSet, act: CurrentAction) -> PlanRead:
    """Create or replace the plan of a department or township for a year (one per unit and year)."""
    return act.answer(PlanRead, await service.set_plan(**act.writes, data=body))


@router.get("", response_model=PlanPage, summary="List plans")
async def list_plans(
    session: ReadSession,
    actor: Reader,
    year: int | None = Query(None, ge=2000, le=2100),
    unit_type: UnitType | None = None,
    unit_code: str | None = Query(None, max_length=32),
    page: PageParams = Depends(page_params),
) -> Response:
    """The plans the caller may read, most recently approved first."""
    filters = PlanFilter(year=year, unit_type=unit_type.value if unit_type else None, unit_code=unit_code)
    rows, next_cursor, total = await service.list_plans(session=session, actor=actor, filters=filters, page=page)
    return PLAN_ROWS.page(rows, next_cursor=next_cursor, total=total)


@router.get("/{year}/{unit_type}/{unit_code}/progress", response_model=PlanProgress, summary="Actual against plan")
async def progress(
    session: ReadSession,
    actor: Reader,
    year: int = Path(ge=2000, le=2100),
    unit_type: UnitType = Path(),
    unit_code: str = Path(max_length=32),
) -> PlanProgress:
    """Inspections, enterprise-checks (家次) and cases by month against the plan; a township's cases are
    those it handled under delegation."""
    return await service.progress(session=session, actor=actor, year=year, unit_type=unit_type, unit_code=unit_code)
