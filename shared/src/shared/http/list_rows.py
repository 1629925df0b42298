"""The one read path of a list: a read model's fields selected as SQL columns, and its page's JSON built once.

A list answered through pydantic models pays, for every row, an ORM object (identity map, instrumented
state), a model validated from its attributes, FastAPI's second validation of the returned page against the
response model, and a JSON encoding of the result: about 300 µs of Python per row, ten times the SQL. Here
the SELECT names exactly the read model's fields, in its order, and the page is encoded by pydantic-core in
one call from the rows as PostgreSQL returned them. The rows are already valid (the database's columns are
the model's types), so nothing validates them again; only a nested read model kept in a JSON column is
validated, because that is where its defaults are filled in. The endpoint keeps `response_model=Page[Row]`,
so the OpenAPI document does not change.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel, TypeAdapter
from pydantic_core import to_json
from sqlalchemy import ColumnElement, Select, func, inspect, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import QueryableAttribute

from shared.errors import ValidationFailed, field_error
from shared.http.pagination import decode_cursor, encode_cursor

ModelT = TypeVar("ModelT", bound=BaseModel)

# A column or an ORM attribute a list row selects.
Selectable = ColumnElement[Any] | QueryableAttribute[Any]

# What a list query found: its rows (in a ListRows' columns), the next page's cursor, the total when asked.
FoundRows = tuple[Sequence[Sequence[Any]], str | None, int | None]


def _holds_model(annotation: Any) -> bool:
    """Whether a field's type is or contains a pydantic model (a nested read model in a JSON column)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation) if arg is not types.NoneType)


def _column_of(source: Any, name: str) -> Selectable | None:
    """The column `name` of an ORM entity (or alias) or a table, if it has one (properties and relations are
    not columns)."""
    mapper = getattr(inspect(source), "mapper", None)
    if mapper is not None:
        return getattr(source, name) if name in mapper.column_attrs else None
    column: Selectable | None = source.c.get(name)
    return column


class ListRows(Generic[ModelT]):
    """A list's read model: the columns its SELECT names, and the page answered from the rows it returns."""

    def __init__(self, model: type[ModelT]) -> None:
        self.model = model
        self.fields = tuple(model.model_fields)
        self._nested: dict[str, TypeAdapter[Any]] = {
            name: TypeAdapter(info.annotation)
            for name, info in model.model_fields.items()
            if info.annotation is not None and _holds_model(info.annotation)
        }

    def columns(self, *sources: Any, **expressions: Selectable) -> list[ColumnElement[Any]]:
        """The model's fields in order, each labelled with its name: `expressions[name]` when given, else the
        column of that name of the first source (ORM entity or table) that has one; a field no source holds is
        an error when the module loads, so a read model and its SELECT cannot drift apart."""
        selected: list[ColumnElement[Any]] = []
        for name in self.fields:
            column = expressions.get(name)
            for source in sources:
                if column is not None:
                    break
                column = _column_of(source, name)
            if column is None:
                raise LookupError(f"{self.model.__name__}.{name} is not a column of {sources} nor given")
            selected.append(column.label(name))
        return selected

    def items(self, rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
        """The rows (selected with `columns`) as the model's JSON-ready items."""
        fields, nested = self.fields, self._nested
        items = [dict(zip(fields, row, strict=True)) for row in rows]
        if nested:
            for item in items:
                for name, adapter in nested.items():
                    item[name] = adapter.validate_python(item[name])
        return items

    def page(
        self, rows: Iterable[Sequence[Any]], *, next_cursor: str | None = None, total: int | None = None
    ) -> Response:
        """The `Page` of these rows as one JSON response, encoded once."""
        body = {"items": self.items(rows), "next_cursor": next_cursor, "total": total}
        return Response(to_json(body), media_type="application/json")


async def count_of(session: AsyncSession | AsyncConnection, stmt: Select[Any]) -> int:
    """The number of rows a list's filtered SELECT matches, whatever it selects: the SELECT (its order, limit and
    offset dropped) is counted as a subquery, so it keeps its FROM even with no filter naming a table."""
    inner = stmt.order_by(None).limit(None).offset(None).subquery()
    return int(await session.scalar(select(func.count()).select_from(inner)) or 0)


def moment_position(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (moment, id) a cursor of a list ordered by a timestamp and the id points at; 422 for another cursor."""
    values = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except (IndexError, TypeError, ValueError):
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor of this list")]) from None


def moment_cursor(rows: Sequence[Any], limit: int, moment: str) -> str | None:
    """The cursor after the page's last row (its `moment` attribute and id), when the query found a row beyond
    the page (it fetched `limit + 1`)."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return encode_cursor([getattr(last, moment).isoformat(), str(last.id)])


def change_feed(stmt: Select[Any], updated_at: Any, ident: Any, *, cursor: str | None, limit: int) -> Select[Any]:
    """A list's change feed order: `stmt` (already filtered on `updated_at > since`) oldest change first by
    (updated_at, id), after the cursor's position, at most `limit` rows (ask for one more than the page to know
    of a next)."""
    if cursor:
        at, last = moment_position(cursor)
        stmt = stmt.where(tuple_(updated_at, ident) > tuple_(literal(at, updated_at.type), literal(last, ident.type)))
    return stmt.order_by(None).order_by(updated_at, ident).limit(limit)


def change_cursor(rows: Sequence[Any], limit: int) -> str | None:
    """The change feed's next cursor (the page's last (updated_at, id)), when the query found a row beyond the page
    (it fetched `limit + 1`)."""
    return moment_cursor(rows, limit, "updated_at")
