"""Queries of the hazard import."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import EnterpriseView


async def enterprise_by_credit_code(session: AsyncSession, credit_code: str) -> uuid.UUID | None:
    """The id of the enterprise (as the registry's events told this service) with this credit code."""
    statement = select(EnterpriseView.enterprise_id).where(EnterpriseView.credit_code == credit_code).limit(1)
    found: uuid.UUID | None = await session.scalar(statement)
    return found
