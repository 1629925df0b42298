"""Queries on enterprises."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervisor_service.enterprises.models import Enterprise


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> Enterprise | None:
    """An enterprise by id."""
    return await session.get(Enterprise, enterprise_id)


async def get_by_credit_code(session: AsyncSession, credit_code: str) -> Enterprise | None:
    """An enterprise by its unified social credit code."""
    return await session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code))
