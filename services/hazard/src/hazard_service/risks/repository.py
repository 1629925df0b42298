"""Queries of risk points."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.risks.models import RiskPoint
from shared.auth.scope import Scope
from shared.http.list_rows import change_feed, count_of


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


def filtered(
    scope: Scope,
    *,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool,
) -> Select[RiskPoint]:
    """Risk points in the caller's scope matching the filters (unordered)."""
    conditions = [in_scope(scope)]
    if enterprise_id:
        conditions.append(RiskPoint.enterprise_id == enterprise_id)
    if township_code:
        conditions.append(RiskPoint.township_code == township_code)
    if level:
        conditions.append(RiskPoint.level == level)
    if not include_retired:
        conditions.append(RiskPoint.status == "active")
    return select(RiskPoint).where(*conditions)


async def matching(
    session: AsyncSession, stmt: Select[RiskPoint], *, after: uuid.UUID | None, limit: int
) -> Sequence[RiskPoint]:
    """The filtered risk points in id order (stable keyset), after a position."""
    if after:
        stmt = stmt.where(RiskPoint.id > after)
    return (await session.execute(stmt.order_by(RiskPoint.id).limit(limit))).scalars().all()


async def changes(
    session: AsyncSession, stmt: Select[RiskPoint], *, since: datetime, cursor: str | None, limit: int
) -> Sequence[RiskPoint]:
    """The filtered risk points changed after `since`, oldest change first (the change feed)."""
    changed = stmt.where(RiskPoint.updated_at > since)
    feed = change_feed(changed, RiskPoint.updated_at, RiskPoint.id, cursor=cursor, limit=limit)
    return (await session.execute(feed)).scalars().all()


async def count(session: AsyncSession, stmt: Select[RiskPoint], *, since: datetime | None) -> int:
    """How many risk points the filtered select matches (changed after `since`, when given)."""
    return await count_of(session, stmt if since is None else stmt.where(RiskPoint.updated_at > since))
