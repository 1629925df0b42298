"""Coverage counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.models import Enterprise


def eligible_conditions(min_employees: int) -> list[ColumnElement[bool]]:
    """Enterprises the coverage target applies to: operating, with at least min_employees employees."""
    return [Enterprise.status == EnterpriseStatus.OPERATING.value, Enterprise.employee_count >= min_employees]


async def counts_by(
    session: AsyncSession, column: Any, conditions: list[ColumnElement[bool]]
) -> list[tuple[str | None, int, int]]:
    """(group, eligible, covered) per value of `column`."""
    query = (
        select(column, func.count(Enterprise.id), func.count(Assignment.id))
        .select_from(Enterprise)
        .outerjoin(Assignment, and_(Assignment.enterprise_id == Enterprise.id, Assignment.active))
        .where(*conditions)
        .group_by(column)
        .order_by(column)
    )
    return [(group, int(eligible), int(covered)) for group, eligible, covered in (await session.execute(query))]
