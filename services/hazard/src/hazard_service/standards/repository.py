"""Queries of judgment standards and clauses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.standards.models import JudgmentClause, JudgmentStandard


async def find_clause(
    session: AsyncSession, standard_code: str, clause_code: str, version: str | None
) -> JudgmentClause | None:
    """A clause of a standard version (the newest imported version when none is named)."""
    stmt = select(JudgmentClause).where(
        JudgmentClause.standard_code == standard_code, JudgmentClause.code == clause_code
    )
    if version:
        stmt = stmt.where(JudgmentClause.standard_version == version)
    return (await session.execute(stmt.order_by(JudgmentClause.standard_version.desc()).limit(1))).scalar_one_or_none()


async def standards(session: AsyncSession) -> Sequence[JudgmentStandard]:
    """Every imported standard version."""
    stmt = select(JudgmentStandard).order_by(JudgmentStandard.code, JudgmentStandard.version)
    return (await session.execute(stmt)).scalars().all()


async def clauses(
    session: AsyncSession, standard_code: str, version: str | None, industry: str | None
) -> Sequence[JudgmentClause]:
    """Clauses of a standard, optionally only those applying to an industry code or its parents."""
    stmt = select(JudgmentClause).where(JudgmentClause.standard_code == standard_code)
    if version:
        stmt = stmt.where(JudgmentClause.standard_version == version)
    if industry:
        prefixes = [industry[:n] for n in (1, 2, 3, 4) if len(industry) >= n]
        stmt = stmt.where(JudgmentClause.industries.overlap(prefixes))
    stmt = stmt.order_by(JudgmentClause.standard_version, JudgmentClause.code)
    return (await session.execute(stmt)).scalars().all()


async def insert_standard(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert a standard version; False when it was already imported."""
    stmt = insert(JudgmentStandard).values(**values).on_conflict_do_nothing().returning(JudgmentStandard.code)
    return (await session.execute(stmt)).first() is not None


async def insert_clauses(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert clauses not yet imported (an imported clause is never edited in place); return how many."""
    if not rows:
        return 0
    stmt = insert(JudgmentClause).values(rows).on_conflict_do_nothing().returning(JudgmentClause.code)
    return len((await session.execute(stmt)).all())
