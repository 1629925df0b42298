"""Queries on the enterprise read model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.enterprises.models import EnterpriseView


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> EnterpriseView | None:
    """An enterprise of the read model."""
    return await session.get(EnterpriseView, enterprise_id)


async def get_many(session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, EnterpriseView]:
    """Enterprises of the read model by id (missing ones are absent)."""
    rows = await session.scalars(select(EnterpriseView).where(EnterpriseView.enterprise_id.in_(enterprise_ids)))
    return {row.enterprise_id: row for row in rows}


async def upsert_if_newer(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert the enterprise, or overwrite it only with a newer aggregate version."""
    stmt = insert(EnterpriseView).values(**values)
    columns = {k: stmt.excluded[k] for k in values if k != "enterprise_id"}
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[EnterpriseView.enterprise_id],
            set_={**columns, "updated_at": func.now()},
            where=EnterpriseView.aggregate_version < stmt.excluded.aggregate_version,
        )
    )


async def set_status_if_newer(session: AsyncSession, enterprise_id: uuid.UUID, status: str, version: int) -> None:
    """Change the status unless the read model already holds a newer version."""
    await session.execute(
        update(EnterpriseView)
        .where(EnterpriseView.enterprise_id == enterprise_id, EnterpriseView.aggregate_version < version)
        .values(status=status, aggregate_version=version, updated_at=func.now())
    )
