"""Use cases of annual enforcement plans."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import actor_name
from enforcement_service.cases import repository as cases
from enforcement_service.paging import counted_page
from enforcement_service.payloads import from_row
from enforcement_service.plans import repository
from enforcement_service.plans.models import EnforcementPlan
from enforcement_service.plans.repository import PlanFilter, own_department, plan_scope
from enforcement_service.plans.schemas import MonthProgress, PlanProgress, PlanSet, UnitType
from shared.auth.principal import Principal, Role
from shared.contracts.enforcement import EnforcementPlanSetV1
from shared.db import UnitOfWork
from shared.errors import Forbidden, NotFound
from shared.http.concurrency import check_version
from shared.http.list_rows import FoundRows
from shared.http.pagination import PageParams


def _may_plan(principal: Principal, unit_type: str, unit_code: str) -> None:
    if principal.has_role(Role.CITY_ADMIN):
        return
    if unit_type == "department" and principal.has_role(Role.DEPARTMENT_OFFICER) and principal.department == unit_code:
        return
    if unit_type == "township" and principal.has_role(Role.TOWNSHIP_OFFICER) and unit_code in principal.jurisdictions:
        return
    raise Forbidden("only the city administrator or the unit itself sets a unit's plan")


async def set_plan(*, uow: UnitOfWork, actor: Principal, data: PlanSet, if_match: str | None) -> EnforcementPlan:
    """Create or replace a unit's annual plan; publishes enforcement_plan.set with the full state."""
    async with uow:
        _may_plan(actor, data.unit_type.value, data.unit_code)
        plan = await repository.get(
            uow.session, year=data.year, unit_type=data.unit_type.value, unit_code=data.unit_code, for_update=True
        )
        months = [m.model_dump() for m in sorted(data.months, key=lambda m: m.month)]
        if plan is None:
            plan = EnforcementPlan(
                id=uuid.uuid4(),
                year=data.year,
                unit_type=data.unit_type.value,
                unit_code=data.unit_code,
                created_by=actor_name(actor),
            )
            uow.session.add(plan)
        else:
            check_version(plan.version, if_match)
        plan.approved_by = data.approved_by
        plan.approved_on = data.approved_on
        plan.document_number = data.document_number
        plan.months = months
        await uow.session.flush()
        uow.record_for(
            plan,
            from_row(
                EnforcementPlanSetV1,
                plan,
                plan_id=str(plan.id),
                total_inspections=sum(m["inspections"] for m in months),
                total_enterprise_checks=sum(m["enterprise_checks"] for m in months),
                total_cases=sum(m["cases"] for m in months),
            ),
        )
        await uow.commit()
        return plan


async def list_plans(*, session: AsyncSession, actor: Principal, filters: PlanFilter, page: PageParams) -> FoundRows:
    """A page of the plans the caller may read, most recently approved first."""
    return await counted_page(
        session, repository, replace(filters, scope=plan_scope(actor)), page, lambda r: (r.approved_on, r.id)
    )


async def progress(
    *, session: AsyncSession, actor: Principal, year: int, unit_type: UnitType, unit_code: str
) -> PlanProgress:
    """Actual inspections, enterprise-checks and cases against the plan, by month; 404 outside the caller's scope."""
    scope = plan_scope(actor)
    township = unit_type is UnitType.TOWNSHIP
    own = not township and unit_code == own_department(scope)
    if not scope.admits(division=unit_code if township else None, extra=own):
        raise NotFound("no plan for this unit and year")
    plan = await repository.get(session, year=year, unit_type=unit_type.value, unit_code=unit_code)
    if plan is None:
        raise NotFound("no plan for this unit and year")
    inspections = await repository.monthly_inspections(session, year=year, unit_code=unit_code)
    filed = await cases.monthly_cases(session, year=year, unit_type=unit_type.value, unit_code=unit_code)
    planned = {m["month"]: m for m in plan.months}
    months = [
        MonthProgress(
            month=month,
            planned_inspections=planned[month]["inspections"],
            actual_inspections=inspections.get(month, (0, 0))[0],
            planned_enterprise_checks=planned[month]["enterprise_checks"],
            actual_enterprise_checks=inspections.get(month, (0, 0))[1],
            planned_cases=planned[month]["cases"],
            actual_cases=filed.get(month, 0),
        )
        for month in range(1, 13)
    ]
    planned_inspections = sum(m.planned_inspections for m in months)
    actual_inspections = sum(m.actual_inspections for m in months)
    return PlanProgress(
        year=year,
        unit_type=unit_type,
        unit_code=unit_code,
        months=months,
        planned_inspections=planned_inspections,
        actual_inspections=actual_inspections,
        planned_enterprise_checks=sum(m.planned_enterprise_checks for m in months),
        actual_enterprise_checks=sum(m.actual_enterprise_checks for m in months),
        planned_cases=sum(m.planned_cases for m in months),
        actual_cases=sum(m.actual_cases for m in months),
        completion_basis_points=(actual_inspections * 10000 * 2 + planned_inspections) // (2 * planned_inspections)
        if planned_inspections
        else None,
    )
