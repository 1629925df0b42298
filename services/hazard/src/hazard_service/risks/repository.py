"""Queries of risk points."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.risks.models import RiskPoint
from shared.auth.scope import Scope


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """Risk points the caller may see: an enterprise user its own enterprise's, everyone else by jurisdiction."""
    return scope.where(division=RiskPoint.township_code, enterprise=RiskPoint.enterprise_id, township_level=True)


async def get(
    session: AsyncSession, point_id: uuid.UUID, scope: Scope, *, for_update: bool = False
) -> RiskPoint | None:
    """A risk point by id within the caller's scope."""
    stmt = select(RiskPoint).where(RiskPoint.id == point_id, in_scope(scope))
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def matching(
    session: AsyncSession,
    scope: Scope,
    *,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[RiskPoint]:
    """Risk points in the caller's scope, in id order (stable keyset)."""
    conditions = [in_scope(scope)]
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
    stmt = select(RiskPoint).where(*conditions).order_by(RiskPoint.id).limit(limit)
    return (await session.execute(stmt)).scalars().all()
