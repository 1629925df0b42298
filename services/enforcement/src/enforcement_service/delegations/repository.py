"""Queries on delegations."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.delegations.models import Delegation


async def get(session: AsyncSession, delegation_id: uuid.UUID) -> Delegation | None:
    """One delegation."""
    return await session.get(Delegation, delegation_id)


async def of_township(session: AsyncSession, township_code: str) -> list[Delegation]:
    """A township's delegations, newest term first."""
    stmt = (
        select(Delegation)
        .where(Delegation.township_code == township_code)
        .order_by(Delegation.starts_on.desc(), Delegation.id.desc())
    )
    return list(await session.scalars(stmt))


def relevant(delegations: list[Delegation], on: date) -> Delegation | None:
    """The delegation in force on a day, else the newest one (so a refusal can name its term)."""
    for d in delegations:
        if d.starts_on <= on <= d.ends_on and (d.revoked_on is None or d.revoked_on > on):
            return d
    return delegations[0] if delegations else None


async def list_all(session: AsyncSession, township_prefixes: list[str]) -> list[Delegation]:
    """Delegations of the townships a caller sees."""
    stmt = select(Delegation).order_by(Delegation.township_code, Delegation.starts_on.desc())
    if township_prefixes:
        stmt = stmt.where(or_(*[Delegation.township_code.startswith(p) for p in township_prefixes]))
    return list(await session.scalars(stmt))
