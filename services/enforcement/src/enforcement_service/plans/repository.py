"""Queries on plans and the actual counts they are compared with."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.inspections.models import Inspection
from enforcement_service.paging import newest_first
from enforcement_service.plans.models import EnforcementPlan
from enforcement_service.plans.schemas import PLAN_ROWS
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.http.list_rows import count_of

LIST_COLUMNS = PLAN_ROWS.columns(EnforcementPlan)


def plan_scope(principal: Principal) -> Scope:
    """Whose plans a caller reads: city-level readers every plan, a township officer its townships', a
    department officer its own department's."""
    return Scope(principal, jurisdiction_roles=(Role.TOWNSHIP_OFFICER,))


def own_department(scope: Scope) -> str | None:
    """The department whose plan a department officer reads."""
    return scope.principal.department if scope.principal.has_role(Role.DEPARTMENT_OFFICER) else None


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """Plans in a `plan_scope`."""
    township = and_(EnforcementPlan.unit_type == "township", scope.division_condition(EnforcementPlan.unit_code))
    department = own_department(scope)
    own = (
        [and_(EnforcementPlan.unit_type == "department", EnforcementPlan.unit_code == department)] if department else []
    )
    return scope.where(extra=[township, *own])


@dataclass(frozen=True)
class PlanFilter:
    """Filters of the plan list."""

    year: int | None = None
    unit_type: str | None = None
    unit_code: str | None = None
    scope: Scope | None = None


def _filtered(f: PlanFilter) -> Select[Any]:
    stmt = select(EnforcementPlan)
    if f.year is not None:
        stmt = stmt.where(EnforcementPlan.year == f.year)
    if f.unit_type:
        stmt = stmt.where(EnforcementPlan.unit_type == f.unit_type)
    if f.unit_code:
        stmt = stmt.where(EnforcementPlan.unit_code == f.unit_code)
    if f.scope is not None:
        stmt = stmt.where(in_scope(f.scope))
    return stmt


async def list_page(
    session: AsyncSession, f: PlanFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> Sequence[Row[Any]]:
    """A page of plans as list rows, most recently approved first (keyset on approved_on, id)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    return (
        await session.execute(
            newest_first(stmt, EnforcementPlan.approved_on, EnforcementPlan.id, after=after, limit=limit)
        )
    ).all()


async def count(session: AsyncSession, f: PlanFilter) -> int:
    """Number of plans matching the filter."""
    return await count_of(session, _filtered(f))


async def get(
    session: AsyncSession, *, year: int, unit_type: str, unit_code: str, for_update: bool = False
) -> EnforcementPlan | None:
    """The plan of a unit for a year (row-locked for a change when asked)."""
    stmt = select(EnforcementPlan).where(
        EnforcementPlan.year == year, EnforcementPlan.unit_type == unit_type, EnforcementPlan.unit_code == unit_code
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def monthly_inspections(session: AsyncSession, *, year: int, unit_code: str) -> dict[int, tuple[int, int]]:
    """(inspections, enterprise-checks) per month of a unit (served by the unit_code, inspected_on index)."""
    month = func.extract("month", Inspection.inspected_on)
    stmt = (
        select(month, func.count(), func.coalesce(func.sum(func.cardinality(Inspection.enterprise_ids)), 0))
        .where(
            Inspection.unit_code == unit_code,
            Inspection.inspected_on >= date(year, 1, 1),
            Inspection.inspected_on <= date(year, 12, 31),
        )
        .group_by(month)
    )
    return {int(m): (int(n), int(checks)) for m, n, checks in (await session.execute(stmt)).all()}
