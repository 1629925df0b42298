"""Use cases of coverage: the figures and the uncovered list."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.http.list_rows import FoundRows
from shared.http.pagination import PageParams
from supervisor_service.access import Scope
from supervisor_service.coverage import repository
from supervisor_service.coverage.domain import coverage_rate
from supervisor_service.coverage.schemas import CoverageFigure, CoverageReport
from supervisor_service.enterprises import service as enterprises
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.schemas import EnterpriseFilters
from supervisor_service.reference import repository as reference
from supervisor_service.reference.models import Department, Jurisdiction
from supervisor_service.rules import SupervisionRules


def _figure(code: str | None, name: str | None, eligible: int, covered: int) -> CoverageFigure:
    return CoverageFigure(
        code=code,
        name=name,
        eligible=eligible,
        covered=covered,
        uncovered=eligible - covered,
        rate=coverage_rate(covered, eligible),
    )


async def coverage_report(*, session: AsyncSession, scope: Scope, rules: SupervisionRules) -> CoverageReport:
    """Coverage of eligible enterprises in the caller's scope, overall and per township and department."""
    conditions = [scope.visible_enterprises(), *repository.eligible_conditions(rules.coverage_min_employees)]
    townships = await repository.counts_by(session, Enterprise.township_code, conditions)
    departments = await repository.counts_by(session, Enterprise.supervising_department, conditions)
    township_names = await reference.names(session, Jurisdiction, {c for c, _, _ in townships if c})
    department_names = await reference.names(session, Department, {c for c, _, _ in departments if c})
    eligible = sum(e for _, e, _ in townships)
    covered = sum(c for _, _, c in townships)
    return CoverageReport(
        as_of=clock.today(),
        min_employees=rules.coverage_min_employees,
        rules_effective_from=rules.effective_from,
        overall=_figure(None, None, eligible, covered),
        by_township=[_figure(c, township_names.get(c or ""), e, n) for c, e, n in townships],
        by_department=[_figure(c, department_names.get(c or ""), e, n) for c, e, n in departments],
    )


async def uncovered_enterprises(
    *, session: AsyncSession, scope: Scope, rules: SupervisionRules, township_code: str | None, page: PageParams
) -> FoundRows:
    """Eligible enterprises in the caller's scope without an active resident supervisor."""
    filters = EnterpriseFilters(
        status=EnterpriseStatus.OPERATING,
        min_employees=rules.coverage_min_employees,
        covered=False,
        township_code=township_code,
    )
    return await enterprises.list_enterprises(session=session, scope=scope, filters=filters, page=page)
