"""Queries on crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import in_reach
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase
from enforcement_service.measures.schemas import CRACKDOWN_ROWS, EXPOSURE_ROWS, INTERVIEW_ROWS, TYPICAL_CASE_ROWS
from enforcement_service.paging import newest_first
from shared.auth.scope import Scope
from shared.http.list_rows import count_of

MeasureT = TypeVar("MeasureT", CrackdownAction, Interview, Exposure, TypicalCase)

DATE_COLUMN = {CrackdownAction: "acted_on", Interview: "held_on", Exposure: "published_on", TypicalCase: "published_on"}

LIST_COLUMNS = {
    CrackdownAction: CRACKDOWN_ROWS.columns(CrackdownAction),
    Interview: INTERVIEW_ROWS.columns(Interview),
    Exposure: EXPOSURE_ROWS.columns(Exposure),
    TypicalCase: TYPICAL_CASE_ROWS.columns(TypicalCase),
}


def matching(
    model: type[MeasureT],
    *,
    township_code: str | None,
    unit_code: str | None,
    date_from: date | None,
    date_to: date | None,
    scope: Scope,
) -> Select[Any]:
    """Records of one kind in the caller's reach matching the filters, as list rows (unordered)."""
    day: Any = getattr(model, DATE_COLUMN[model])
    stmt = select(*LIST_COLUMNS[model]).where(in_reach(scope, model.township_code))
    if township_code:
        stmt = stmt.where(model.township_code == township_code)
    if unit_code:
        stmt = stmt.where(model.unit_code == unit_code)
    if date_from:
        stmt = stmt.where(day >= date_from)
    if date_to:
        stmt = stmt.where(day <= date_to)
    return stmt


async def list_page(
    session: AsyncSession,
    model: type[MeasureT],
    stmt: Select[Any],
    *,
    limit: int,
    after: tuple[date, uuid.UUID] | None,
) -> Sequence[Row[Any]]:
    """A page of the records of one kind `stmt` selects, newest first (keyset on date, id)."""
    day: Any = getattr(model, DATE_COLUMN[model])
    return (await session.execute(newest_first(stmt, day, model.id, after=after, limit=limit))).all()


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    """Number of records `stmt` selects."""
    return await count_of(session, stmt)
