"""Queries on assignments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy import Row as ListRow
from sqlalchemy.ext.asyncio import AsyncSession

from shared.http.list_rows import change_feed, count_of
from supervisor_service.assignments.models import Assignment
from supervisor_service.assignments.schemas import ASSIGNMENT_ROWS
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.supervisors.models import Supervisor

Row = tuple[Assignment, Supervisor, Enterprise]

# A list row: the assignment with both names and the enterprise's township.
LIST_COLUMNS = ASSIGNMENT_ROWS.columns(
    Assignment,
    supervisor_name=Supervisor.name,
    enterprise_name=Enterprise.name,
    township_code=Enterprise.township_code,
)


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
) -> Sequence[ListRow[Any]]:
    """Assignments as list rows ordered by (start_date, id) after a keyset position; fetches limit + 1 rows."""
    query = _listing(conditions)
    if after is not None:
        query = query.where(tuple_(Assignment.start_date, Assignment.id) > tuple_(*after))
    return (await session.execute(query.order_by(Assignment.start_date, Assignment.id).limit(limit + 1))).all()


async def changes(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, cursor: str | None, limit: int
) -> Sequence[ListRow[Any]]:
    """Assignments as list rows, oldest change first (the change feed); fetches limit + 1 rows."""
    query = change_feed(_listing(conditions), Assignment.updated_at, Assignment.id, cursor=cursor, limit=limit + 1)
    return (await session.execute(query)).all()


async def count(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> int:
    """Number of assignments matching the conditions."""
    return await count_of(session, _listing(conditions))


def _listing(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    return (
        select(*LIST_COLUMNS)
        .select_from(Assignment)
        .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(*conditions)
    )


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
