"""Queries on supervisors."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shared.http.list_rows import change_feed, count_of
from supervisor_service.supervisors.models import Supervisor


async def get(
    session: AsyncSession, supervisor_id: uuid.UUID, *, visible: ColumnElement[bool], lock: bool = False
) -> Supervisor | None:
    """A supervisor by id if visible to the caller; locked for a change with `lock`."""
    query = select(Supervisor).where(Supervisor.id == supervisor_id, visible)
    return await session.scalar(query.with_for_update() if lock else query)


async def get_by_code(session: AsyncSession, code: str) -> Supervisor | None:
    """A supervisor by staff code."""
    return await session.scalar(select(Supervisor).where(Supervisor.code == code))


async def page(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, after: tuple[str, uuid.UUID] | None, limit: int
) -> list[Supervisor]:
    """Supervisors ordered by (name, id) after a keyset position; fetches limit + 1 rows."""
    query = select(Supervisor).where(*conditions)
    if after is not None:
        query = query.where(tuple_(Supervisor.name, Supervisor.id) > tuple_(*after))
    return list(await session.scalars(query.order_by(Supervisor.name, Supervisor.id).limit(limit + 1)))


async def changes(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, cursor: str | None, limit: int
) -> list[Supervisor]:
    """Supervisors matching the conditions, oldest change first (the change feed); fetches limit + 1 rows."""
    query = change_feed(
        select(Supervisor).where(*conditions), Supervisor.updated_at, Supervisor.id, cursor=cursor, limit=limit + 1
    )
    return list(await session.scalars(query))


async def count(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> int:
    """Number of supervisors matching the conditions."""
    return await count_of(session, select(Supervisor).where(*conditions))
