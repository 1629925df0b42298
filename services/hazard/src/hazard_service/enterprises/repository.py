"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import EnterpriseView


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)


_VIEW = EnterpriseView.__table__
_REPORTING_FACTS = select(_VIEW.c.enterprise_id, _VIEW.c.name, _VIEW.c.township_code, _VIEW.c.industry_code)


async def reporting_facts(session: AsyncSession, enterprise_id: uuid.UUID) -> Row[Any, Any, Any, Any] | None:
    """What a new hazard copies from its enterprise: id, name, township and industry (a Core query, no ORM)."""
    stmt = _REPORTING_FACTS.where(_VIEW.c.enterprise_id == enterprise_id)
    return (await session.execute(stmt)).one_or_none()
