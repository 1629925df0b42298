"""HTTP routes of coverage."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from shared.http.dependencies import ReadSession
from shared.http.pagination import Page
from supervisor_service.access import ReaderScope
from supervisor_service.coverage import service
from supervisor_service.coverage.schemas import CoverageReport
from supervisor_service.dependencies import CurrentRules
from supervisor_service.enterprises.schemas import ENTERPRISE_ROWS, EnterpriseListItem
from supervisor_service.listing import Paging

router = APIRouter(prefix="/api/v1/coverage", tags=["coverage"])


@router.get("", response_model=CoverageReport, summary="Supervisor coverage of 3+ employee enterprises")
async def coverage(session: ReadSession, scope: ReaderScope, rules: CurrentRules) -> CoverageReport:
    """Covered versus eligible (operating, at least the configured employee count) enterprises in your scope,
    overall, per township and per supervising department."""
    return await service.coverage_report(session=session, scope=scope, rules=rules)


@router.get("/uncovered", response_model=Page[EnterpriseListItem], summary="Eligible enterprises without a supervisor")
async def uncovered(
    page: Paging,
    session: ReadSession,
    scope: ReaderScope,
    rules: CurrentRules,
    township_code: str | None = Query(None),
) -> Response:
    """The gap to close: eligible enterprises in your scope with no active resident supervisor."""
    rows, cursor, total = await service.uncovered_enterprises(
        session=session, scope=scope, rules=rules, township_code=township_code, page=page
    )
    return ENTERPRISE_ROWS.page(rows, next_cursor=cursor, total=total)
