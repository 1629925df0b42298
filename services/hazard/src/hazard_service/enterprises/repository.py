"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import EnterpriseView
from shared.db.driver import DriverStatement


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)


_VIEW = EnterpriseView.__table__
REPORTING_FACTS = DriverStatement.of(
    select(_VIEW.c.enterprise_id, _VIEW.c.name, _VIEW.c.township_code, _VIEW.c.industry_code).where(
        _VIEW.c.enterprise_id == bindparam("enterprise_id")
    )
)


async def reporting_facts(connection: asyncpg.Connection, enterprise_id: uuid.UUID) -> asyncpg.Record | None:
    """What a new hazard copies from its enterprise: id, name, township and industry."""
    return await connection.fetchrow(REPORTING_FACTS.sql, *REPORTING_FACTS.args({"enterprise_id": enterprise_id}))
