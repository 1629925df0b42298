"""What the supervisor lists share: keyset positions and cursors, equality filters and the paging parameters."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from sqlalchemy import ColumnElement

from shared.errors import ValidationFailed, field_error
from shared.http.pagination import PageParams, decode_cursor, encode_cursor, page_params

KeyT = TypeVar("KeyT")
RowT = TypeVar("RowT")


def position(page: PageParams, sort_value: Callable[[str], KeyT]) -> tuple[KeyT, uuid.UUID] | None:
    """The (sort value, id) the page starts after; 422 for a cursor that is not one of this list's."""
    if not page.cursor:
        return None
    values = decode_cursor(page.cursor)
    try:
        return sort_value(str(values[0])), uuid.UUID(str(values[1]))
    except (IndexError, ValueError):
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor of this list")]) from None


def next_cursor(rows: Sequence[RowT], limit: int, key: Callable[[RowT], list[Any]]) -> str | None:
    """The cursor after the page's last row, when the query found a row beyond the page (it fetches limit + 1)."""
    return encode_cursor(key(rows[limit - 1])) if len(rows) > limit else None


def matching(*filters: tuple[Any, Any]) -> list[ColumnElement[bool]]:
    """The conditions of a list's equality filters, as (column, value): an unset (None or empty) value filters
    nothing, a flag compares with IS."""
    return [
        column.is_(value) if isinstance(value, bool) else column == value
        for column, value in filters
        if value is not None and value != ""
    ]


Paging = Annotated[PageParams, Depends(page_params)]
