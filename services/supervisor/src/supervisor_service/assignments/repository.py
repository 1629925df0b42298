"""Queries on assignments."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.supervisors.models import Supervisor

Row = tuple[Assignment, Supervisor, Enterprise]


def _joined() -> Select[Assignment, Supervisor, Enterprise]:
    return (
        select(Assignment, Supervisor, Enterprise)
        .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
    )


async def get(session: AsyncSession, assignment_id: uuid.UUID, *, visible: ColumnElement[bool]) -> Row | None:
    """An assignment with its supervisor and enterprise, if the enterprise is visible."""
    row = (await session.execute(_joined().where(Assignment.id == assignment_id, visible))).first()
    return row


async def active_of_enterprise(session: AsyncSession, enterprise_id: uuid.UUID) -> Assignment | None:
    """The enterprise's active assignment, locked for update."""
    return await session.scalar(
        select(Assignment).where(Assignment.enterprise_id == enterprise_id, Assignment.active).with_for_update()
    )


async def active_count(session: AsyncSession, supervisor_id: uuid.UUID) -> int:
    """How many enterprises a supervisor is resident at now."""
    query = select(func.count()).where(Assignment.supervisor_id == supervisor_id, Assignment.active)
    return int(await session.scalar(query) or 0)


async def active_counts(session: AsyncSession, supervisor_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Active assignment counts of several supervisors."""
    if not supervisor_ids:
        return {}
    rows = await session.execute(
        select(Assignment.supervisor_id, func.count())
        .where(Assignment.supervisor_id.in_(supervisor_ids), Assignment.active)
        .group_by(Assignment.supervisor_id)
    )
    return {sid: int(n) for sid, n in rows}


async def page(
    session: AsyncSession,
    conditions: list[ColumnElement[bool]],
    *,
    after: tuple[date, uuid.UUID] | None,
    limit: int,
) -> list[Row]:
    """Assignments ordered by (start_date, id) after a keyset position; fetches limit + 1 rows."""
    query = _joined().where(*conditions)
    if after is not None:
        query = query.where(tuple_(Assignment.start_date, Assignment.id) > tuple_(*after))
    rows = await session.execute(query.order_by(Assignment.start_date, Assignment.id).limit(limit + 1))
    return list(rows)


async def enterprises_of(session: AsyncSession, supervisor_id: uuid.UUID, *, on: date) -> list[Enterprise]:
    """Enterprises a supervisor was assigned to on a day (active or ended after it)."""
    query = (
        select(Enterprise)
        .join(Assignment, Assignment.enterprise_id == Enterprise.id)
        .where(
            Assignment.supervisor_id == supervisor_id,
            Assignment.start_date <= on,
            (Assignment.end_date.is_(None)) | (Assignment.end_date >= on),
        )
        .order_by(Enterprise.name)
    )
    return list(await session.scalars(query))
