"""Queries on plans and the actual counts they are compared with."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.inspections.models import Inspection
from enforcement_service.plans.models import EnforcementPlan


async def get(session: AsyncSession, *, year: int, unit_type: str, unit_code: str) -> EnforcementPlan | None:
    """The plan of a unit for a year."""
    stmt = select(EnforcementPlan).where(
        EnforcementPlan.year == year, EnforcementPlan.unit_type == unit_type, EnforcementPlan.unit_code == unit_code
    )
    return (await session.scalars(stmt.with_for_update())).first()


async def of_year(session: AsyncSession, year: int) -> list[EnforcementPlan]:
    """Every plan of a year."""
    stmt = (
        select(EnforcementPlan)
        .where(EnforcementPlan.year == year)
        .order_by(EnforcementPlan.unit_type, EnforcementPlan.unit_code)
    )
    return list(await session.scalars(stmt))


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
