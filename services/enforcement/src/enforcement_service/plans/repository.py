"""Queries on plans and the actual counts they are compared with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.inspections.models import Inspection
from enforcement_service.plans.models import EnforcementPlan


@dataclass(frozen=True)
class PlanScope:
    """The units whose plans a caller may read: the townships under some prefixes and one department."""

    township_prefixes: tuple[str, ...] = ()
    department: str | None = None

    def covers(self, unit_type: str, unit_code: str) -> bool:
        """Whether the plan of a unit is in scope."""
        if unit_type == "township":
            return any(unit_code.startswith(p) for p in self.township_prefixes)
        return unit_code == self.department


@dataclass(frozen=True)
class PlanFilter:
    """Filters of the plan list; `scope` is None for a caller who reads every plan."""

    year: int | None = None
    unit_type: str | None = None
    unit_code: str | None = None
    scope: PlanScope | None = None


def _filtered(f: PlanFilter) -> Select[Any]:
    stmt = select(EnforcementPlan)
    if f.year is not None:
        stmt = stmt.where(EnforcementPlan.year == f.year)
    if f.unit_type:
        stmt = stmt.where(EnforcementPlan.unit_type == f.unit_type)
    if f.unit_code:
        stmt = stmt.where(EnforcementPlan.unit_code == f.unit_code)
    if f.scope is not None:
        in_scope = [
            and_(EnforcementPlan.unit_type == "township", EnforcementPlan.unit_code.startswith(p))
            for p in f.scope.township_prefixes
        ]
        if f.scope.department:
            in_scope.append(
                and_(EnforcementPlan.unit_type == "department", EnforcementPlan.unit_code == f.scope.department)
            )
        stmt = stmt.where(or_(*in_scope) if in_scope else false())
    return stmt


async def list_page(
    session: AsyncSession, f: PlanFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> list[EnforcementPlan]:
    """A page of plans, most recently approved first (keyset on approved_on, id)."""
    stmt = _filtered(f)
    if after is not None:
        stmt = stmt.where(tuple_(EnforcementPlan.approved_on, EnforcementPlan.id) < tuple_(*after))
    stmt = stmt.order_by(EnforcementPlan.approved_on.desc(), EnforcementPlan.id.desc()).limit(limit)
    return list(await session.scalars(stmt))


async def count(session: AsyncSession, f: PlanFilter) -> int:
    """Number of plans matching the filter."""
    return int(await session.scalar(select(func.count()).select_from(_filtered(f).subquery())) or 0)


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
