"""Queries on visits."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shared.http.list_rows import count_of
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.visits.models import Visit, VisitFinding

VisitRow = tuple[Visit, Supervisor, Enterprise]


def _joined() -> Any:
    return (
        select(Visit, Supervisor, Enterprise)
        .join(Supervisor, Supervisor.id == Visit.supervisor_id)
        .join(Enterprise, Enterprise.id == Visit.enterprise_id)
    )


async def get(session: AsyncSession, visit_id: uuid.UUID, *, visible: ColumnElement[bool]) -> VisitRow | None:
    """A visit with its supervisor and enterprise, if visible."""
    row: VisitRow | None = (await session.execute(_joined().where(Visit.id == visit_id, visible))).first()
    return row


async def findings_of(session: AsyncSession, visit_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[VisitFinding]]:
    """Findings of several visits, in recorded order."""
    result: dict[uuid.UUID, list[VisitFinding]] = {v: [] for v in visit_ids}
    if visit_ids:
        rows = await session.scalars(
            select(VisitFinding).where(VisitFinding.visit_id.in_(visit_ids)).order_by(VisitFinding.position)
        )
        for finding in rows:
            result[finding.visit_id].append(finding)
    return result


async def page(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, before: tuple[date, uuid.UUID] | None, limit: int
) -> list[VisitRow]:
    """Visits newest first, keyset on (visited_on, id) descending; fetches limit + 1 rows."""
    query = _joined().where(*conditions)
    if before is not None:
        query = query.where(tuple_(Visit.visited_on, Visit.id) < tuple_(*before))
    rows = await session.execute(query.order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(limit + 1))
    return list(rows)


async def count(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> int:
    """Number of visits matching the conditions."""
    return await count_of(session, _joined().where(*conditions))


async def quarter_by_enterprise(
    session: AsyncSession, supervisor_id: uuid.UUID, start: date, end: date
) -> list[tuple[uuid.UUID, str, int, int, date | None]]:
    """Per enterprise assigned to the supervisor during [start, end] or visited then: visits, findings, last visit."""
    assigned = select(Assignment.enterprise_id).where(
        Assignment.supervisor_id == supervisor_id,
        Assignment.start_date <= end,
        or_(Assignment.end_date.is_(None), Assignment.end_date >= start),
    )
    visits = (
        select(
            Visit.enterprise_id,
            func.count().label("visits"),
            func.coalesce(func.sum(Visit.finding_count), 0).label("findings"),
            func.max(Visit.visited_on).label("last_visited_on"),
        )
        .where(Visit.supervisor_id == supervisor_id, Visit.visited_on.between(start, end))
        .group_by(Visit.enterprise_id)
        .subquery()
    )
    query = (
        select(
            Enterprise.id,
            Enterprise.name,
            func.coalesce(visits.c.visits, 0),
            func.coalesce(visits.c.findings, 0),
            visits.c.last_visited_on,
        )
        .outerjoin(visits, visits.c.enterprise_id == Enterprise.id)
        .where(or_(Enterprise.id.in_(assigned), visits.c.enterprise_id.is_not(None)))
        .order_by(Enterprise.name, Enterprise.id)
    )
    return [(i, n, int(v), int(f), last) for i, n, v, f, last in (await session.execute(query))]


async def major_findings(session: AsyncSession, supervisor_id: uuid.UUID, start: date, end: date) -> int:
    """Findings suggested as major in the supervisor's visits of the period."""
    query = (
        select(func.count())
        .select_from(VisitFinding)
        .join(Visit, Visit.id == VisitFinding.visit_id)
        .where(
            Visit.supervisor_id == supervisor_id,
            Visit.visited_on.between(start, end),
            VisitFinding.grade_suggestion == "major",
        )
    )
    return int(await session.scalar(query) or 0)


async def last_visits(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, cutoff: date, limit: int
) -> list[tuple[Supervisor, int, date | None]]:
    """Active supervisors with active assignments and no visit after `cutoff`: assignment count and last
    visit date, stalest first (correlated look-ups served by the supervisor indexes)."""
    active = select(func.count()).where(Assignment.supervisor_id == Supervisor.id, Assignment.active).scalar_subquery()
    last = select(func.max(Visit.visited_on)).where(Visit.supervisor_id == Supervisor.id).scalar_subquery()
    query = (
        select(Supervisor, active, last)
        .where(Supervisor.active.is_(True), active > 0, or_(last.is_(None), last <= cutoff), *conditions)
        .order_by(last.asc().nulls_first(), Supervisor.name, Supervisor.id)
        .limit(limit)
    )
    return [(s, int(n), d) for s, n, d in (await session.execute(query))]
