"""Queries on inspections."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.inspections.models import Inspection, InspectionFinding


@dataclass(frozen=True)
class InspectionFilter:
    """Filters of the inspection list."""

    kind: str | None = None
    unit_code: str | None = None
    township_code: str | None = None
    inspected_from: date | None = None
    inspected_to: date | None = None
    jurisdiction_prefixes: Sequence[str] = ()


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
    if f.jurisdiction_prefixes:
        conditions = [Inspection.township_code.startswith(p) for p in f.jurisdiction_prefixes]
        if any(len(p) <= 6 for p in f.jurisdiction_prefixes):
            conditions.append(Inspection.township_code.is_(None))
        stmt = stmt.where(or_(*conditions))
    return stmt


async def list_page(
    session: AsyncSession, f: InspectionFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> list[Inspection]:
    """A page of inspections, newest first (keyset on inspected_on, id)."""
    stmt = _filtered(f)
    if after is not None:
        stmt = stmt.where(tuple_(Inspection.inspected_on, Inspection.id) < tuple_(*after))
    stmt = stmt.order_by(Inspection.inspected_on.desc(), Inspection.id.desc()).limit(limit)
    return list(await session.scalars(stmt))


async def count(session: AsyncSession, f: InspectionFilter) -> int:
    """Number of inspections matching the filter."""
    return int(await session.scalar(select(func.count()).select_from(_filtered(f).subquery())) or 0)


async def get(session: AsyncSession, inspection_id: uuid.UUID) -> Inspection | None:
    """One inspection."""
    return await session.get(Inspection, inspection_id)


async def findings_of(session: AsyncSession, inspection_id: uuid.UUID) -> list[InspectionFinding]:
    """The findings of an inspection, in the order recorded."""
    stmt = (
        select(InspectionFinding)
        .where(InspectionFinding.inspection_id == inspection_id)
        .order_by(InspectionFinding.position)
    )
    return list(await session.scalars(stmt))
