"""HTTP routes of coverage."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.dependencies import get_uow
from shared.http.pagination import Page, PageParams, page_params
from supervisor_service.access import READERS
from supervisor_service.coverage import service
from supervisor_service.coverage.schemas import CoverageReport
from supervisor_service.dependencies import current_rules
from supervisor_service.enterprises.schemas import EnterpriseListItem
from supervisor_service.rules import SupervisionRules

router = APIRouter(prefix="/api/v1/coverage", tags=["coverage"])


@router.get("", response_model=CoverageReport, summary="Supervisor coverage of 3+ employee enterprises")
async def coverage(
    uow: UnitOfWork = Depends(get_uow),
    rules: SupervisionRules = Depends(current_rules),
    _: Principal = Depends(require_roles(*READERS)),
) -> CoverageReport:
    """Covered versus eligible (operating, at least the configured employee count) enterprises in your scope,
    overall, per township and per supervising department."""
    return await service.coverage_report(uow=uow, rules=rules)


@router.get("/uncovered", response_model=Page[EnterpriseListItem], summary="Eligible enterprises without a supervisor")
async def uncovered(
    township_code: str | None = Query(None),
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    rules: SupervisionRules = Depends(current_rules),
    _: Principal = Depends(require_roles(*READERS)),
) -> Page[EnterpriseListItem]:
    """The gap to close: eligible enterprises in your scope with no active resident supervisor."""
    return await service.uncovered_enterprises(uow=uow, rules=rules, township_code=township_code, page=page)
