"""Queries on delegations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.delegations.models import Delegation
from enforcement_service.delegations.schemas import DELEGATION_ROWS
from enforcement_service.paging import newest_first
from shared.auth.scope import Scope
from shared.http.list_rows import count_of

LIST_COLUMNS = DELEGATION_ROWS.columns(Delegation)


@dataclass(frozen=True)
class DelegationFilter:
    """Filters of the delegation list."""

    township_code: str | None = None
    in_force_on: date | None = None
    revoked: bool | None = None
    scope: Scope | None = None


async def get(session: AsyncSession, delegation_id: uuid.UUID, *, scope: Scope) -> Delegation | None:
    """One delegation, if in the caller's scope."""
    stmt = select(Delegation).where(Delegation.id == delegation_id, scope.where(division=Delegation.township_code))
    return (await session.scalars(stmt)).first()


async def of_township(session: AsyncSession, township_code: str) -> list[Delegation]:
    """A township's delegations, newest term first."""
    stmt = (
        select(Delegation)
        .where(Delegation.township_code == township_code)
        .order_by(Delegation.starts_on.desc(), Delegation.id.desc())
    )
    return list(await session.scalars(stmt))


def _filtered(f: DelegationFilter) -> Select[Any]:
    stmt = select(Delegation)
    if f.township_code:
        stmt = stmt.where(Delegation.township_code == f.township_code)
    if f.in_force_on:
        day = f.in_force_on
        stmt = stmt.where(
            Delegation.starts_on <= day,
            Delegation.ends_on >= day,
            or_(Delegation.revoked_on.is_(None), Delegation.revoked_on > day),
        )
    if f.revoked is not None:
        stmt = stmt.where(Delegation.revoked_on.is_not(None) if f.revoked else Delegation.revoked_on.is_(None))
    if f.scope is not None:
        stmt = stmt.where(f.scope.where(division=Delegation.township_code))
    return stmt


def page_query(f: DelegationFilter, *, limit: int, after: tuple[date, uuid.UUID] | None) -> Select[Any]:
    """The statement of a page of delegations as list rows, latest term start first (keyset on starts_on, id)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    return newest_first(stmt, Delegation.starts_on, Delegation.id, after=after, limit=limit)


async def list_page(
    session: AsyncSession, f: DelegationFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> Sequence[Row[Any]]:
    """A page of delegations as list rows, latest term start first."""
    return (await session.execute(page_query(f, limit=limit, after=after))).all()


async def count(session: AsyncSession, f: DelegationFilter) -> int:
    """Number of delegations matching the filter."""
    return await count_of(session, _filtered(f))
