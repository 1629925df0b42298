"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import AssignmentView, EnterpriseView
from shared.readmodels.assignments import is_assigned


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)


_VIEW = EnterpriseView.__table__
_REPORTING_FACTS = select(_VIEW.c.enterprise_id, _VIEW.c.name, _VIEW.c.township_code, _VIEW.c.industry_code).where(
    _VIEW.c.enterprise_id == bindparam("enterprise_id")
)


async def reporting_facts(session: AsyncSession, enterprise_id: uuid.UUID) -> Row[Any, Any, Any, Any] | None:
    """What a new hazard copies from its enterprise: id, name, township and industry (a Core query on the
    session's connection: part of the hot write)."""
    connection = await session.connection()
    return (await connection.execute(_REPORTING_FACTS, {"enterprise_id": enterprise_id})).one_or_none()


async def supervises(session: AsyncSession, *, supervisor_id: str, enterprise_id: uuid.UUID, on: date) -> bool:
    """Whether a resident supervisor was assigned to the enterprise on that day."""
    return await is_assigned(session, AssignmentView, supervisor_id=supervisor_id, enterprise_id=enterprise_id, on=on)
