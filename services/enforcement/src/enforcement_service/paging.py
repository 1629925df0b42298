"""Keyset pagination on (date, id) in descending order, shared by every list of this service."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from shared.errors import ValidationFailed, field_error
from shared.http.pagination import decode_cursor, encode_cursor

RowT = TypeVar("RowT")


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
