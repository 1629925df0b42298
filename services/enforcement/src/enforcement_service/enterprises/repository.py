"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.enterprises.models import EnterpriseView


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)


async def get_many(session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, EnterpriseView]:
    """Enterprises of the read model by id (missing ones are absent)."""
    rows = await session.scalars(select(EnterpriseView).where(EnterpriseView.enterprise_id.in_(enterprise_ids)))
    return {row.enterprise_id: row for row in rows}
