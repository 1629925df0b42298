"""Queries on inspections."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import in_reach
from enforcement_service.inspections.models import Inspection, InspectionFinding
from enforcement_service.inspections.schemas import INSPECTION_ROWS
from enforcement_service.paging import newest_first
from shared.auth.scope import Scope
from shared.http.list_rows import change_feed, count_of

LIST_COLUMNS = INSPECTION_ROWS.columns(Inspection)


@dataclass(frozen=True)
class InspectionFilter:
    """Filters of the inspection list."""

    kind: str | None = None
    unit_code: str | None = None
    township_code: str | None = None
    inspected_from: date | None = None
    inspected_to: date | None = None
    scope: Scope | None = None
    updated_since: datetime | None = None


def _filtered(f: InspectionFilter) -> Select[Any]:
    stmt = select(Inspection)
    if f.kind:
        stmt = stmt.where(Inspection.kind == f.kind)
    if f.unit_code:
        stmt = stmt.where(Inspection.unit_code == f.unit_code)
    if f.township_code:
        stmt = stmt.where(Inspection.township_code == f.township_code)
    if f.inspected_from:
        stmt = stmt.where(Inspection.inspected_on >= f.inspected_from)
    if f.inspected_to:
        stmt = stmt.where(Inspection.inspected_on <= f.inspected_to)
    if f.scope is not None:
        stmt = stmt.where(in_reach(f.scope, Inspection.township_code))
    if f.updated_since is not None:
        stmt = stmt.where(Inspection.updated_at > f.updated_since)
    return stmt


async def list_page(
    session: AsyncSession, f: InspectionFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> Sequence[Row[Any]]:
    """A page of inspections as list rows, newest first (keyset on inspected_on, id)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    return (
        await session.execute(newest_first(stmt, Inspection.inspected_on, Inspection.id, after=after, limit=limit))
    ).all()


async def count(session: AsyncSession, f: InspectionFilter) -> int:
    """Number of inspections matching the filter."""
    return await count_of(session, _filtered(f))


async def changes(session: AsyncSession, f: InspectionFilter, *, limit: int, cursor: str | None) -> Sequence[Row[Any]]:
    """List rows matching the filter (changed after its `updated_since`), oldest change first (the change feed)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    feed = change_feed(stmt, Inspection.updated_at, Inspection.id, cursor=cursor, limit=limit)
    return (await session.execute(feed)).all()


async def get(session: AsyncSession, inspection_id: uuid.UUID, *, scope: Scope) -> Inspection | None:
    """One inspection, if in the caller's reach."""
    stmt = select(Inspection).where(Inspection.id == inspection_id, in_reach(scope, Inspection.township_code))
    return (await session.scalars(stmt)).first()


async def findings_of(session: AsyncSession, inspection_id: uuid.UUID) -> list[InspectionFinding]:
    """The findings of an inspection, in the order recorded."""
    stmt = (
        select(InspectionFinding)
        .where(InspectionFinding.inspection_id == inspection_id)
        .order_by(InspectionFinding.position)
    )
    return list(await session.scalars(stmt))
