"""Keyset pagination on (date, id) in descending order, shared by every list of this service."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import ValidationFailed, field_error
from shared.http.list_rows import change_cursor
from shared.http.pagination import PageParams, decode_cursor, encode_cursor

RowT = TypeVar("RowT")
FilterT = TypeVar("FilterT")
RowT_co = TypeVar("RowT_co", covariant=True)
FilterT_contra = TypeVar("FilterT_contra", contravariant=True)


class KeysetRepository(Protocol[FilterT_contra, RowT_co]):
    """A repository module whose list is filtered, paged by (date, id) and counted."""

    async def list_page(
        self, session: AsyncSession, f: FilterT_contra, *, limit: int, after: tuple[date, uuid.UUID] | None
    ) -> Sequence[RowT_co]: ...

    async def count(self, session: AsyncSession, f: FilterT_contra) -> int: ...


class ChangeFeedRepository(KeysetRepository[FilterT_contra, RowT_co], Protocol):
    """A keyset repository whose rows can also be read as a change feed (changed after the filter's
    `updated_since`, oldest change first)."""

    async def changes(
        self, session: AsyncSession, f: FilterT_contra, *, limit: int, cursor: str | None
    ) -> Sequence[RowT_co]: ...


def newest_first(
    stmt: Select[Any], day: Any, ident: Any, *, after: tuple[date, uuid.UUID] | None, limit: int
) -> Select[Any]:
    """`stmt` ordered newest first by (day, id), starting after a keyset position, at most `limit` rows."""
    if after is not None:
        stmt = stmt.where(tuple_(day, ident) < tuple_(*after))
    return stmt.order_by(day.desc(), ident.desc()).limit(limit)


def date_id_after(cursor: str | None) -> tuple[date, uuid.UUID] | None:
    """The (date, id) a cursor points after; 422 for a cursor this API did not make."""
    if not cursor:
        return None
    values = decode_cursor(cursor)
    try:
        day, ident = values
        return date.fromisoformat(day), uuid.UUID(ident)
    except (ValueError, TypeError):
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor from this API")]) from None


def cut_page(
    rows: Sequence[RowT], limit: int, key: Callable[[RowT], tuple[date, uuid.UUID]]
) -> tuple[list[RowT], str | None]:
    """The first `limit` rows (fetched `limit + 1`) and the cursor of the next page, if any."""
    if len(rows) <= limit:
        return list(rows), None
    page = list(rows[:limit])
    day, ident = key(page[-1])
    return page, encode_cursor([day.isoformat(), str(ident)])


async def counted_page(
    session: AsyncSession,
    repository: KeysetRepository[FilterT, RowT],
    filters: FilterT,
    page: PageParams,
    key: Callable[[RowT], tuple[date, uuid.UUID]],
) -> tuple[list[RowT], str | None, int | None]:
    """A page of a repository's rows matching `filters` with the next cursor, and their total when the caller
    asked for it."""
    found = await repository.list_page(session, filters, limit=page.limit + 1, after=date_id_after(page.cursor))
    items, next_cursor = cut_page(found, page.limit, key)
    total = await repository.count(session, filters) if page.include_total else None
    return items, next_cursor, total


async def counted_changes(
    session: AsyncSession, repository: ChangeFeedRepository[FilterT, RowT], filters: FilterT, page: PageParams
) -> tuple[list[RowT], str | None, int | None]:
    """A page of a repository's change feed (rows matching `filters`, which hold `updated_since`, oldest change
    first) with the next cursor, and their total when the caller asked for it."""
    found = await repository.changes(session, filters, limit=page.limit + 1, cursor=page.cursor)
    total = await repository.count(session, filters) if page.include_total else None
    return list(found[: page.limit]), change_cursor(found, page.limit), total
