"""Keyset (cursor) pagination with a stable order, and the page model every list returns."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Annotated, Any, Generic, Self, TypeVar

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, Field

from shared.errors import ValidationFailed, field_error

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page."""

    items: list[ItemT]
    next_cursor: str | None = Field(default=None, description="Opaque cursor of the next page; null on the last.")
    total: int | None = Field(default=None, description="Number of matching items, when include_total=true.")

    @classmethod
    def whole(cls, items: Iterable[Any]) -> Self:
        """A small bounded set (a vocabulary, one record's parts) as its one page: no next page, and its total,
        which costs nothing to count."""
        listed = list(items)
        return cls(items=listed, next_cursor=None, total=len(listed))


class PageParams(BaseModel):
    """Limit, cursor and whether to count the total."""

    limit: int
    cursor: str | None
    include_total: bool


async def page_params(
    limit: int = Query(50, ge=1, le=200, description="Items per page (1-200)."),
    cursor: str | None = Query(None, description="Cursor from the previous page's next_cursor."),
    include_total: bool = Query(False, description="Also count all matching items (slower on large sets)."),
) -> PageParams:
    """Pagination query parameters shared by every list endpoint."""
    return PageParams(limit=limit, cursor=cursor, include_total=include_total)


UpdatedSince = Annotated[
    AwareDatetime | None,
    Query(
        description="Change feed: only items created or changed after this moment (RFC 3339 with an offset), oldest "
        "change first by (updated_at, id); keep the newest updated_at seen and ask again with it.",
    ),
]


def encode_cursor(values: list[Any]) -> str:
    """Opaque cursor holding the sort key of the last item of a page."""
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """The sort key a cursor holds; 422 if it was not made by encode_cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError):
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor from this API")]) from None
    if not isinstance(values, list):
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor from this API")])
    return values
