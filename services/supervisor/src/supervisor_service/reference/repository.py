"""Queries on reference data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from supervisor_service.reference.models import Department, Industry, Jurisdiction, ReferenceDataset

ReferenceModel = type[Jurisdiction] | type[Department] | type[Industry]


async def get_dataset(session: AsyncSession, kind: str, version: str) -> ReferenceDataset | None:
    """An imported version."""
    return await session.get(ReferenceDataset, (kind, version))


async def latest_dataset(session: AsyncSession, kind: str) -> ReferenceDataset | None:
    """The most recently effective imported version of a kind."""
    return await session.scalar(
        select(ReferenceDataset)
        .where(ReferenceDataset.kind == kind)
        .order_by(ReferenceDataset.effective_from.desc(), ReferenceDataset.imported_at.desc())
        .limit(1)
    )


async def list_datasets(session: AsyncSession) -> list[ReferenceDataset]:
    """Every imported version, newest first per kind."""
    rows = await session.scalars(
        select(ReferenceDataset).order_by(ReferenceDataset.kind, ReferenceDataset.effective_from.desc())
    )
    return list(rows)


async def upsert_entries(session: AsyncSession, model: ReferenceModel, rows: list[dict[str, Any]]) -> None:
    """Insert or refresh entries by code, un-retiring codes that come back."""
    if not rows:
        return
    statement = insert(model).values(rows)
    columns = {k: statement.excluded[k] for k in rows[0] if k != "code"}
    await session.execute(statement.on_conflict_do_update(index_elements=["code"], set_=columns))


async def retire_missing(session: AsyncSession, model: ReferenceModel, codes: set[str], version: str) -> int:
    """Mark entries absent from a new version as retired (codes are never reused, so never deleted)."""
    result = await session.execute(
        update(model)
        .where(model.code.not_in(codes), model.retired_in_version.is_(None))
        .values(retired_in_version=version)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def jurisdiction(session: AsyncSession, code: str) -> Jurisdiction | None:
    """A current jurisdiction by code."""
    found = await session.get(Jurisdiction, code)
    return found if found is not None and found.retired_in_version is None else None


async def department(session: AsyncSession, code: str) -> Department | None:
    """A current department by code."""
    found = await session.get(Department, code)
    return found if found is not None and found.retired_in_version is None else None


async def industry(session: AsyncSession, code: str) -> Industry | None:
    """A current industry section or division by code."""
    found = await session.get(Industry, code)
    return found if found is not None and found.retired_in_version is None else None


async def list_jurisdictions(
    session: AsyncSession, *, level: str | None, parent_code: str | None
) -> list[Jurisdiction]:
    """Current jurisdictions, optionally of one level or under one parent."""
    query = select(Jurisdiction).where(Jurisdiction.retired_in_version.is_(None)).order_by(Jurisdiction.code)
    if level:
        query = query.where(Jurisdiction.level == level)
    if parent_code:
        query = query.where(Jurisdiction.parent_code == parent_code)
    return list(await session.scalars(query))


async def list_departments(session: AsyncSession) -> list[Department]:
    """Current departments."""
    query = select(Department).where(Department.retired_in_version.is_(None)).order_by(Department.code)
    return list(await session.scalars(query))


async def list_industries(session: AsyncSession) -> list[Industry]:
    """Current industry sections and divisions."""
    query = select(Industry).where(Industry.retired_in_version.is_(None)).order_by(Industry.code)
    return list(await session.scalars(query))


async def names(session: AsyncSession, model: ReferenceModel, codes: set[str]) -> dict[str, str]:
    """Labels of several codes at once."""
    if not codes:
        return {}
    rows = await session.execute(select(model.code, model.name).where(model.code.in_(codes)))
    return dict(rows.all())
