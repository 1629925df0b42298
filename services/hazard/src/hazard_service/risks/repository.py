"""Queries of risk points."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from hazard_service.risks.models import RiskPoint
from shared.auth.principal import Principal, Role


def visible_to(principal: Principal) -> list[ColumnElement[bool]]:
    """Conditions limiting risk points to what the caller may see."""
    if principal.has_role(Role.ENTERPRISE) and not principal.sees_everything:
        if not principal.enterprise_id:
            return [literal(False)]
        return [RiskPoint.enterprise_id == uuid.UUID(principal.enterprise_id)]
    if principal.sees_everything:
        return []
    prefixes = principal.jurisdiction_prefixes()
    if not prefixes:
        return [literal(False)]
    return [or_(*(RiskPoint.township_code.startswith(p, autoescape=True) for p in prefixes))]


def can_see(principal: Principal, point: RiskPoint) -> bool:
    """Whether the caller may see a risk point."""
    if principal.has_role(Role.ENTERPRISE) and not principal.sees_everything:
        return principal.enterprise_id == str(point.enterprise_id)
    return principal.covers(point.township_code)


async def get(session: AsyncSession, point_id: uuid.UUID, *, for_update: bool = False) -> RiskPoint | None:
    """A risk point by id."""
    stmt = select(RiskPoint).where(RiskPoint.id == point_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def matching(
    session: AsyncSession,
    principal: Principal,
    *,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[RiskPoint]:
    """Risk points in id order (stable keyset)."""
    conditions = visible_to(principal)
    if enterprise_id:
        conditions.append(RiskPoint.enterprise_id == enterprise_id)
    if township_code:
        conditions.append(RiskPoint.township_code == township_code)
    if level:
        conditions.append(RiskPoint.level == level)
    if not include_retired:
        conditions.append(RiskPoint.status == "active")
    if after:
        conditions.append(RiskPoint.id > after)
    stmt = select(RiskPoint).where(and_(*conditions)).order_by(RiskPoint.id).limit(limit)
    return (await session.execute(stmt)).scalars().all()
