"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import EnterpriseView


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)
