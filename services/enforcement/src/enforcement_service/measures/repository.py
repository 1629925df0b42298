"""Queries on crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase

MeasureT = TypeVar("MeasureT", CrackdownAction, Interview, Exposure, TypicalCase)

DATE_COLUMN = {CrackdownAction: "acted_on", Interview: "held_on", Exposure: "published_on", TypicalCase: "published_on"}


async def list_page(
    session: AsyncSession,
    model: type[MeasureT],
    *,
    township_code: str | None,
    unit_code: str | None,
    date_from: date | None,
    date_to: date | None,
    jurisdiction_prefixes: Sequence[str],
    limit: int,
    after: tuple[date, uuid.UUID] | None,
) -> list[MeasureT]:
    """A page of records of one kind, newest first (keyset on date, id)."""
    day: Any = getattr(model, DATE_COLUMN[model])
    stmt = select(model)
    if township_code:
        stmt = stmt.where(model.township_code == township_code)
    if unit_code:
        stmt = stmt.where(model.unit_code == unit_code)
    if date_from:
        stmt = stmt.where(day >= date_from)
    if date_to:
        stmt = stmt.where(day <= date_to)
    if jurisdiction_prefixes:
        conditions = [model.township_code.startswith(p) for p in jurisdiction_prefixes]
        if any(len(p) <= 6 for p in jurisdiction_prefixes):
            conditions.append(model.township_code.is_(None))
        stmt = stmt.where(or_(*conditions))
    if after is not None:
        stmt = stmt.where(tuple_(day, model.id) < tuple_(*after))
    stmt = stmt.order_by(day.desc(), model.id.desc()).limit(limit)
    return list(await session.scalars(stmt))
