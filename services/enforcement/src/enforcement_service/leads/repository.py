"""Queries on case leads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.leads.models import CaseLead
from enforcement_service.leads.schemas import LEAD_ROWS
from enforcement_service.paging import newest_first
from shared.auth.scope import Scope
from shared.http.list_rows import count_of

LIST_COLUMNS = LEAD_ROWS.columns(CaseLead)


async def open_once(session: AsyncSession, values: dict[str, Any]) -> CaseLead | None:
    """Insert a lead unless one exists for the same hazard and deadline; the new lead or None."""
    stmt = insert(CaseLead).values(**values).on_conflict_do_nothing().returning(CaseLead.id)
    lead_id = (await session.execute(stmt)).scalar_one_or_none()
    return await session.get(CaseLead, lead_id) if lead_id else None


async def get(session: AsyncSession, lead_id: uuid.UUID, *, scope: Scope, for_update: bool = False) -> CaseLead | None:
    """One lead, if in the caller's scope."""
    stmt = select(CaseLead).where(CaseLead.id == lead_id, scope.where(division=CaseLead.township_code))
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


def matching(*, status: str | None, township_code: str | None, scope: Scope) -> Select[Any]:
    """Leads in the caller's scope matching the filters, as list rows (unordered)."""
    stmt = select(*LIST_COLUMNS).where(scope.where(division=CaseLead.township_code))
    if status:
        stmt = stmt.where(CaseLead.status == status)
    if township_code:
        stmt = stmt.where(CaseLead.township_code == township_code)
    return stmt


async def list_page(
    session: AsyncSession, stmt: Select[Any], *, limit: int, after: tuple[date, uuid.UUID] | None
) -> Sequence[Row[Any]]:
    """A page of the leads `stmt` selects, newest first."""
    return (await session.execute(newest_first(stmt, CaseLead.opened_on, CaseLead.id, after=after, limit=limit))).all()


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    """Number of leads `stmt` selects."""
    return await count_of(session, stmt)
