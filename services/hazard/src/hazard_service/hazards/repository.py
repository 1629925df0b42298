"""Queries on hazards and their records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, delete, exists, func, literal, literal_column, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from hazard_service.hazards.domain import Status
from hazard_service.hazards.models import (
    Hazard,
    HazardDeferral,
    HazardListing,
    HazardNotice,
    HazardOverdueMark,
    HazardPhoto,
    HazardTimelineEntry,
)
from hazard_service.hazards.schemas import HAZARD_ROWS, HazardFilters, HazardSort
from shared import clock
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.http.list_rows import change_feed, count_of

FAR_FUTURE = date(9999, 12, 31)
DEADLINE_KEY_DEFAULT = "DATE '9999-12-31'"


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """Hazards the caller may see: an enterprise user its own enterprise's, everyone else by jurisdiction."""
    return scope.where(division=Hazard.township_code, enterprise=Hazard.enterprise_id, township_level=True)


async def get(session: AsyncSession, hazard_id: uuid.UUID, scope: Scope, *, for_update: bool = False) -> Hazard | None:
    """A hazard by id within the caller's scope, optionally locked for a change."""
    stmt = select(Hazard).where(Hazard.id == hazard_id, in_scope(scope))
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


# The id is the table's sequence; every other column is bound, so one statement serves every entry.
_INSERT_TIMELINE_ENTRY = insert(HazardTimelineEntry).values(
    {
        column.key: bindparam(column.key, type_=column.type)
        for column in HazardTimelineEntry.__table__.columns
        if column.key != "id"
    }
)
HAZARD_COLUMNS = tuple(column.key for column in Hazard.__table__.columns)
_INSERT_HAZARD = insert(Hazard)


def new_hazard_values(**fields: Any) -> dict[str, Any]:
    """A reported hazard's row with a value for every column: `fields` over the columns' starting values."""
    now = clock.now()
    starting = {
        "id": uuid.uuid4(),
        "status": Status.REPORTED.value,
        "campaign_codes": [],
        "listed": False,
        "deferral_pending": False,
        "overdue": False,
        "was_overdue": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return dict.fromkeys(HAZARD_COLUMNS) | starting | fields


def timeline_entry(
    actor: Principal,
    hazard_id: uuid.UUID,
    version: int,
    action: str,
    *,
    from_status: str | None,
    to_status: str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One step of a hazard's timeline, as inserted: who did what, when and why, and the status it led to."""
    return {
        "hazard_id": hazard_id,
        "hazard_version": version,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "actor": actor.subject,
        "actor_name": actor.name,
        "actor_roles": sorted(actor.roles),
        "reason": reason,
        "details": details or {},
        "occurred_at": clock.now(),
    }


async def insert_hazard(session: AsyncSession, values: dict[str, Any]) -> Hazard:
    """Insert a new hazard (a value for every column) with a Core statement on the session's connection.

    The hot write of the service: no ORM flush and no row read back, since every column is bound; the hazard
    returned is built from the same values and is not attached to the session.
    """
    await (await session.connection()).execute(_INSERT_HAZARD, values)
    return Hazard(**values)


async def add_timeline_entry(session: AsyncSession, entry: dict[str, Any]) -> None:
    """Append one step to a hazard's timeline (a Core insert: no use case reads it back in its transaction)."""
    await (await session.connection()).execute(_INSERT_TIMELINE_ENTRY, entry)


async def get_by_source_reference(session: AsyncSession, reference: str) -> Hazard | None:
    """The hazard registered from a finding of another service."""
    return (await session.execute(select(Hazard).where(Hazard.source_reference == reference))).scalar_one_or_none()


def _deadline_key() -> ColumnElement[date]:
    # Inlined constant: the expression must equal the one of ix_hazard_deadline_key to use it.
    return func.coalesce(Hazard.rectification_deadline, literal_column(DEADLINE_KEY_DEFAULT, Date))


SORT_COLUMNS: dict[HazardSort, tuple[Any, bool]] = {
    HazardSort.REPORTED_ON_DESC: (Hazard.reported_on, True),
    HazardSort.REPORTED_ON: (Hazard.reported_on, False),
    HazardSort.CREATED_AT_DESC: (Hazard.created_at, True),
    HazardSort.CREATED_AT: (Hazard.created_at, False),
    HazardSort.DEADLINE: (_deadline_key(), False),
    HazardSort.DEADLINE_DESC: (_deadline_key(), True),
}


SUMMARY_COLUMNS = HAZARD_ROWS.columns(Hazard)


def filtered(scope: Scope, filters: HazardFilters) -> Select[Hazard]:
    """Hazards matching the filters within what the caller may see."""
    conditions: list[ColumnElement[bool]] = [in_scope(scope)]
    if filters.status:
        conditions.append(Hazard.status.in_([s.value for s in filters.status]))
    if filters.grade:
        conditions.append(Hazard.grade == filters.grade.value)
    if filters.township_code:
        conditions.append(Hazard.township_code == filters.township_code)
    if filters.enterprise_id:
        conditions.append(Hazard.enterprise_id == filters.enterprise_id)
    if filters.source:
        conditions.append(Hazard.source == filters.source.value)
    if filters.campaign_code:
        conditions.append(Hazard.campaign_codes.contains([filters.campaign_code]))
    if filters.overdue is not None:
        conditions.append(Hazard.overdue == filters.overdue)  # `= true` lets the partial index match
    if filters.listed is not None:
        conditions.append(Hazard.listed == filters.listed)
    if filters.listing_level:
        conditions.append(Hazard.listing_level == filters.listing_level)
    if filters.reported_from:
        conditions.append(Hazard.reported_on >= filters.reported_from)
    if filters.reported_to:
        conditions.append(Hazard.reported_on <= filters.reported_to)
    if filters.deadline_from:
        conditions.append(Hazard.rectification_deadline >= filters.deadline_from)
    if filters.deadline_to:
        conditions.append(Hazard.rectification_deadline <= filters.deadline_to)
    if filters.closed_from:
        conditions.append(Hazard.closed_on >= filters.closed_from)
    if filters.closed_to:
        conditions.append(Hazard.closed_on <= filters.closed_to)
    return select(Hazard).where(and_(*conditions))


def _cursor_value(sort: HazardSort, raw: Any) -> Any:
    if sort in (HazardSort.CREATED_AT, HazardSort.CREATED_AT_DESC):
        return datetime.fromisoformat(raw)
    return date.fromisoformat(raw)


async def page(
    session: AsyncSession,
    scope: Scope,
    filters: HazardFilters,
    sort: HazardSort,
    limit: int,
    after: list[Any] | None,
) -> tuple[Sequence[Any], list[Any] | None]:
    """One page of hazard summaries in a stable order (sort key, id) and the key of its last row."""
    column, descending = SORT_COLUMNS[sort]
    stmt = filtered(scope, filters)
    if after is not None:
        key, last_id = _cursor_value(sort, after[0]), uuid.UUID(after[1])
        if descending:
            stmt = stmt.where(tuple_(column, Hazard.id) < tuple_(literal(key), literal(last_id)))
        else:
            stmt = stmt.where(tuple_(column, Hazard.id) > tuple_(literal(key), literal(last_id)))
    order = (column.desc(), Hazard.id.desc()) if descending else (column.asc(), Hazard.id.asc())
    # Only the summary columns: hydrating full ORM objects costs more than the query itself.
    projected = stmt.with_only_columns(*SUMMARY_COLUMNS)
    rows = (await session.execute(projected.order_by(*order).limit(limit + 1))).all()
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    sort_value = {
        HazardSort.REPORTED_ON_DESC: last.reported_on,
        HazardSort.REPORTED_ON: last.reported_on,
        HazardSort.CREATED_AT_DESC: last.created_at,
        HazardSort.CREATED_AT: last.created_at,
        HazardSort.DEADLINE: last.rectification_deadline or FAR_FUTURE,
        HazardSort.DEADLINE_DESC: last.rectification_deadline or FAR_FUTURE,
    }[sort]
    return rows, [sort_value.isoformat(), str(last.id)]


async def changes(
    session: AsyncSession, scope: Scope, filters: HazardFilters, *, since: datetime, cursor: str | None, limit: int
) -> Sequence[Any]:
    """Summaries of the matching hazards changed after `since`, oldest change first (the change feed)."""
    stmt = filtered(scope, filters).where(Hazard.updated_at > since).with_only_columns(*SUMMARY_COLUMNS)
    return (await session.execute(change_feed(stmt, Hazard.updated_at, Hazard.id, cursor=cursor, limit=limit))).all()


async def count(session: AsyncSession, scope: Scope, filters: HazardFilters, *, since: datetime | None = None) -> int:
    """Number of hazards matching the filters (and changed after `since`, when given)."""
    stmt = filtered(scope, filters)
    return await count_of(session, stmt if since is None else stmt.where(Hazard.updated_at > since))


async def all_matching(session: AsyncSession, scope: Scope, filters: HazardFilters, limit: int) -> Sequence[Hazard]:
    """Hazards for an export, oldest first (bounded)."""
    stmt = filtered(scope, filters).order_by(Hazard.reported_on, Hazard.id).limit(limit)
    return (await session.execute(stmt)).scalars().all()


async def timeline(session: AsyncSession, hazard_id: uuid.UUID) -> Sequence[HazardTimelineEntry]:
    """The full history of a hazard, oldest first."""
    stmt = select(HazardTimelineEntry).where(HazardTimelineEntry.hazard_id == hazard_id)
    return (await session.execute(stmt.order_by(HazardTimelineEntry.id))).scalars().all()


async def photos(session: AsyncSession, hazard_id: uuid.UUID) -> Sequence[HazardPhoto]:
    """Photos of a hazard, oldest first."""
    stmt = select(HazardPhoto).where(HazardPhoto.hazard_id == hazard_id).order_by(HazardPhoto.uploaded_at)
    return (await session.execute(stmt)).scalars().all()


async def photo(session: AsyncSession, photo_id: uuid.UUID) -> HazardPhoto | None:
    """One photo's metadata."""
    return await session.get(HazardPhoto, photo_id)


async def listing(session: AsyncSession, hazard_id: uuid.UUID) -> HazardListing | None:
    """The listing of a hazard, if it is listed."""
    stmt = select(HazardListing).where(HazardListing.hazard_id == hazard_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def listings(session: AsyncSession, hazard_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, HazardListing]:
    """Listings of several hazards by hazard id."""
    if not hazard_ids:
        return {}
    stmt = select(HazardListing).where(HazardListing.hazard_id.in_(hazard_ids))
    return {row.hazard_id: row for row in (await session.execute(stmt)).scalars()}


async def pending_deferral(session: AsyncSession, hazard_id: uuid.UUID) -> HazardDeferral | None:
    """The deferral request waiting for a decision."""
    stmt = select(HazardDeferral).where(HazardDeferral.hazard_id == hazard_id, HazardDeferral.status == "pending")
    return (await session.execute(stmt.with_for_update())).scalar_one_or_none()


async def deferrals(session: AsyncSession, hazard_id: uuid.UUID) -> Sequence[HazardDeferral]:
    """Every deferral request of a hazard."""
    stmt = select(HazardDeferral).where(HazardDeferral.hazard_id == hazard_id).order_by(HazardDeferral.created_at)
    return (await session.execute(stmt)).scalars().all()


async def notices(session: AsyncSession, hazard_id: uuid.UUID) -> Sequence[HazardNotice]:
    """Public notices of a hazard."""
    stmt = select(HazardNotice).where(HazardNotice.hazard_id == hazard_id).order_by(HazardNotice.published_on)
    return (await session.execute(stmt)).scalars().all()


async def next_ledger_number(session: AsyncSession, year: int) -> str:
    """A ledger number `ZDYH-<year>-<n>` following the year's highest."""
    prefix = f"ZDYH-{year}-"
    stmt = select(func.count()).select_from(Hazard).where(Hazard.ledger_number.startswith(prefix))
    taken = int((await session.execute(stmt)).scalar_one())
    return f"{prefix}{taken + 1:04d}"


async def claim_missed_deadlines(session: AsyncSession, today: date, limit: int) -> list[tuple[uuid.UUID, str, date]]:
    """Insert an overdue mark for each missed deadline not yet marked; return the new marks.

    The unique key (hazard, kind, deadline) makes this idempotent even if two schedulers race.
    """

    def not_marked(kind: str, deadline: Any) -> ColumnElement[bool]:
        return ~exists().where(
            HazardOverdueMark.hazard_id == Hazard.id,
            HazardOverdueMark.deadline_kind == kind,
            HazardOverdueMark.deadline == deadline,
        )

    missed_rectification = select(Hazard.id, literal("rectification"), Hazard.rectification_deadline).where(
        Hazard.status == "rectifying",
        Hazard.rectification_deadline < today,
        not_marked("rectification", Hazard.rectification_deadline),
    )
    missed_review = select(Hazard.id, literal("review"), Hazard.review_due_on).where(
        Hazard.status == "acceptance_applied",
        Hazard.review_due_on < today,
        not_marked("review", Hazard.review_due_on),
    )
    candidates = missed_rectification.union_all(missed_review).limit(limit).subquery()
    stmt = (
        insert(HazardOverdueMark)
        .from_select(["hazard_id", "deadline_kind", "deadline"], select(candidates))
        .on_conflict_do_nothing(index_elements=["hazard_id", "deadline_kind", "deadline"])
        .returning(HazardOverdueMark.hazard_id, HazardOverdueMark.deadline_kind, HazardOverdueMark.deadline)
    )
    return [(row[0], row[1], row[2]) for row in (await session.execute(stmt)).all()]


async def drop_overdue_mark(session: AsyncSession, hazard_id: uuid.UUID, kind: str, deadline: date) -> bool:
    """Remove the overdue mark of one deadline; return whether the hazard keeps a mark of another."""
    await session.execute(
        delete(HazardOverdueMark).where(
            HazardOverdueMark.hazard_id == hazard_id,
            HazardOverdueMark.deadline_kind == kind,
            HazardOverdueMark.deadline == deadline,
        )
    )
    others = select(exists().where(HazardOverdueMark.hazard_id == hazard_id))
    return bool((await session.execute(others)).scalar_one())
