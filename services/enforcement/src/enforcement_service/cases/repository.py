"""Queries on penalty cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.cases.models import (
    CaseClockWarning,
    CaseEvidence,
    CasePayment,
    CaseStageEntry,
    DocumentSequence,
    PenaltyCase,
)
from enforcement_service.cases.schemas import CASE_ROWS
from enforcement_service.paging import newest_first
from shared.auth.scope import Scope
from shared.http.list_rows import change_feed, count_of

LIST_COLUMNS = CASE_ROWS.columns(PenaltyCase)


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list."""

    stage: str | None = None
    procedure: str | None = None
    township_code: str | None = None
    unit_code: str | None = None
    enterprise_id: uuid.UUID | None = None
    delegated: bool | None = None
    outcome: str | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    scope: Scope | None = None
    updated_since: datetime | None = None


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """Cases whose party lies in the caller's reach."""
    return scope.where(division=PenaltyCase.township_code)


def _filtered(f: CaseFilter) -> Select[Any]:
    stmt = select(PenaltyCase)
    conditions = []
    if f.stage:
        conditions.append(PenaltyCase.stage == f.stage)
    if f.procedure:
        conditions.append(PenaltyCase.procedure == f.procedure)
    if f.township_code:
        conditions.append(PenaltyCase.township_code == f.township_code)
    if f.unit_code:
        conditions.append(PenaltyCase.unit_code == f.unit_code)
    if f.enterprise_id:
        conditions.append(PenaltyCase.enterprise_id == f.enterprise_id)
    if f.delegated is not None:
        conditions.append(PenaltyCase.delegated.is_(f.delegated))
    if f.outcome:
        conditions.append(PenaltyCase.outcome == f.outcome)
    if f.filed_from:
        conditions.append(PenaltyCase.filed_on >= f.filed_from)
    if f.filed_to:
        conditions.append(PenaltyCase.filed_on <= f.filed_to)
    if f.scope is not None:
        conditions.append(in_scope(f.scope))
    if f.updated_since is not None:
        conditions.append(PenaltyCase.updated_at > f.updated_since)
    return stmt.where(and_(*conditions)) if conditions else stmt


async def list_page(
    session: AsyncSession, f: CaseFilter, *, limit: int, after: tuple[date, uuid.UUID] | None
) -> Sequence[Row[Any]]:
    """A page of cases as list rows, most recently filed first (keyset on filed_on, id)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    return (
        await session.execute(newest_first(stmt, PenaltyCase.filed_on, PenaltyCase.id, after=after, limit=limit))
    ).all()


async def count(session: AsyncSession, f: CaseFilter) -> int:
    """Number of cases matching the filter."""
    return await count_of(session, _filtered(f))


async def changes(session: AsyncSession, f: CaseFilter, *, limit: int, cursor: str | None) -> Sequence[Row[Any]]:
    """List rows matching the filter (changed after its `updated_since`), oldest change first (the change feed)."""
    stmt = _filtered(f).with_only_columns(*LIST_COLUMNS)
    feed = change_feed(stmt, PenaltyCase.updated_at, PenaltyCase.id, cursor=cursor, limit=limit)
    return (await session.execute(feed)).all()


async def get(
    session: AsyncSession, case_id: uuid.UUID, *, scope: Scope | None = None, for_update: bool = False
) -> PenaltyCase | None:
    """One case, if in `scope` (row-locked for a change when asked)."""
    stmt = select(PenaltyCase).where(PenaltyCase.id == case_id)
    if scope is not None:
        stmt = stmt.where(in_scope(scope))
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def next_number(session: AsyncSession, *, kind: str, unit_code: str, year: int) -> int:
    """The next number of a kind of document of a unit in a year (gapless per transaction)."""
    insert_stmt = insert(DocumentSequence).values(kind=kind, unit_code=unit_code, year=year, last_number=1)
    stmt = insert_stmt.on_conflict_do_update(
        index_elements=[DocumentSequence.kind, DocumentSequence.unit_code, DocumentSequence.year],
        set_={"last_number": DocumentSequence.last_number + 1},
    ).returning(DocumentSequence.last_number)
    return int((await session.execute(stmt)).scalar_one())


async def history(session: AsyncSession, case_id: uuid.UUID) -> list[CaseStageEntry]:
    """The steps of a case in order."""
    stmt = select(CaseStageEntry).where(CaseStageEntry.case_id == case_id).order_by(CaseStageEntry.id)
    return list(await session.scalars(stmt))


async def evidence(session: AsyncSession, case_id: uuid.UUID) -> list[CaseEvidence]:
    """The evidence listed on a case, in the order listed."""
    stmt = select(CaseEvidence).where(CaseEvidence.case_id == case_id).order_by(CaseEvidence.created_at)
    return list(await session.scalars(stmt))


async def payments(session: AsyncSession, case_id: uuid.UUID) -> list[CasePayment]:
    """The payments of a case in date order."""
    stmt = (
        select(CasePayment).where(CasePayment.case_id == case_id).order_by(CasePayment.paid_on, CasePayment.created_at)
    )
    return list(await session.scalars(stmt))


def _clock_columns() -> dict[str, tuple[Any, Any]]:
    """Per clock: the due-date column and the condition under which it runs (each has a partial index)."""
    return {
        "decide": (PenaltyCase.decide_by, PenaltyCase.decided_on.is_(None)),
        "hearing_request": (
            PenaltyCase.hearing_request_by,
            and_(PenaltyCase.stage == "notified", PenaltyCase.hearing_waived.is_(False)),
        ),
        "service": (
            PenaltyCase.service_by,
            and_(PenaltyCase.stage == "decided", PenaltyCase.outcome != "transfer_judiciary"),
        ),
        "payment": (
            PenaltyCase.pay_by,
            and_(PenaltyCase.stage == "served", PenaltyCase.fine_paid_fen < PenaltyCase.fine_total_fen),
        ),
    }


CLOCKS = ("decide", "hearing_request", "service", "payment")


async def cases_due(
    session: AsyncSession,
    *,
    clock: str,
    due_from: date | None,
    due_until: date,
    scope: Scope | None = None,
    not_warned_as: str | None = None,
    limit: int,
) -> list[PenaltyCase]:
    """Cases whose `clock` runs and falls due in [due_from, due_until], earliest first; optionally only
    those not yet warned with status `not_warned_as` for that due date."""
    column, running = _clock_columns()[clock]
    stmt = select(PenaltyCase).where(running, column <= due_until)
    if due_from is not None:
        stmt = stmt.where(column >= due_from)
    if scope is not None:
        stmt = stmt.where(in_scope(scope))
    if not_warned_as is not None:
        warned = (
            select(CaseClockWarning.case_id)
            .where(
                CaseClockWarning.case_id == PenaltyCase.id,
                CaseClockWarning.clock == clock,
                CaseClockWarning.due_on == column,
                CaseClockWarning.status == not_warned_as,
            )
            .exists()
        )
        stmt = stmt.where(~warned)
    stmt = stmt.order_by(column, PenaltyCase.id).limit(limit)
    return list(await session.scalars(stmt))


async def claim_warning(session: AsyncSession, *, case_id: uuid.UUID, clock: str, due_on: date, status: str) -> bool:
    """Mark a warning as emitted; False if it was emitted before (so each is emitted once)."""
    stmt = (
        insert(CaseClockWarning)
        .values(case_id=case_id, clock=clock, due_on=due_on, status=status)
        .on_conflict_do_nothing()
        .returning(CaseClockWarning.case_id)
    )
    return (await session.execute(stmt)).first() is not None


async def counts_for_year(
    session: AsyncSession, *, year: int, scope: Scope
) -> list[tuple[str, bool, str | None, str, int]]:
    """(procedure, delegated, delegated township, unit, count) of cases filed in a year."""
    stmt = (
        select(
            PenaltyCase.procedure,
            PenaltyCase.delegated,
            PenaltyCase.delegated_township_code,
            PenaltyCase.unit_code,
            func.count(),
        )
        .where(PenaltyCase.filed_on >= date(year, 1, 1), PenaltyCase.filed_on <= date(year, 12, 31), in_scope(scope))
        .group_by(
            PenaltyCase.procedure, PenaltyCase.delegated, PenaltyCase.delegated_township_code, PenaltyCase.unit_code
        )
    )
    return [(r[0], r[1], r[2], r[3], int(r[4])) for r in (await session.execute(stmt)).all()]


async def monthly_cases(session: AsyncSession, *, year: int, unit_type: str, unit_code: str) -> dict[int, int]:
    """Cases filed per month by a unit (a township counts the cases it filed under delegation)."""
    month = func.extract("month", PenaltyCase.filed_on)
    unit_condition = (
        PenaltyCase.delegated_township_code == unit_code
        if unit_type == "township"
        else and_(PenaltyCase.unit_code == unit_code, PenaltyCase.delegated.is_(False))
    )
    stmt = (
        select(month, func.count())
        .where(unit_condition, PenaltyCase.filed_on >= date(year, 1, 1), PenaltyCase.filed_on <= date(year, 12, 31))
        .group_by(month)
    )
    return {int(m): int(n) for m, n in (await session.execute(stmt)).all()}
