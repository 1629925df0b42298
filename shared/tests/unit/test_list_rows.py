"""A list answered from its SQL rows says exactly what the Page of its read model says."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, Field
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, select

from shared.http.list_rows import ListRows, count_of
from shared.http.pagination import Page


class Colour(StrEnum):
    RED = "red"


class Item(BaseModel):
    kind: str
    amount_fen: int | None = None
    tags: list[str] = Field(default_factory=list)


class Row(BaseModel):
    id: uuid.UUID
    colour: Colour
    on: date
    at: datetime
    note: str | None
    members: list[uuid.UUID]
    items: list[Item]


ROWS = ListRows(Row)


def test_the_page_from_rows_equals_the_page_of_the_read_model() -> None:
    member = uuid.uuid4()
    row = (
        uuid.uuid4(),
        "red",
        date(2024, 2, 29),
        datetime(2024, 3, 1, 8, 30, 0, 123456, tzinfo=UTC),
        "中文",
        [str(member)],
        [{"kind": "fine"}],  # a JSON column holding only what was written: the defaults come from Item
    )
    answered = ROWS.page([row, row], next_cursor="abc", total=7)
    expected = Page[Row](items=[Row(**dict(zip(ROWS.fields, row, strict=True)))] * 2, next_cursor="abc", total=7)
    assert answered.media_type == "application/json"
    assert json.loads(answered.body) == json.loads(expected.model_dump_json())
    assert json.loads(answered.body)["items"][0]["items"] == [{"kind": "fine", "amount_fen": None, "tags": []}]


def test_an_empty_last_page_has_null_cursor_and_total() -> None:
    assert json.loads(ROWS.page([]).body) == {"items": [], "next_cursor": None, "total": None}


def test_columns_name_the_fields_in_order_from_the_sources_or_expressions() -> None:
    table = Table(
        "thing", MetaData(), Column("id", Integer), Column("name", String), Column("on", Date), Column("extra", String)
    )

    class Named(BaseModel):
        name: str
        id: int
        label: str

    columns = ListRows(Named).columns(table, label=table.c.extra)
    assert [c.name for c in columns] == ["name", "id", "label"]
    assert "thing.extra AS label" in str(select(*columns))


def test_a_field_no_source_holds_fails_at_once() -> None:
    table = Table("other", MetaData(), Column("id", Integer))
    with pytest.raises(LookupError, match=r"Row\.colour"):
        ROWS.columns(table)


class _Recording:
    """A session that answers any scalar query with 3 and keeps the statement it was asked."""

    statement: Any = None

    async def scalar(self, statement: Any) -> int:
        self.statement = statement
        return 3


async def test_a_count_keeps_the_lists_from_and_filters_but_not_its_order_or_limit() -> None:
    table = Table("thing", MetaData(), Column("id", Integer), Column("name", String))
    session = _Recording()
    unfiltered = select(table).order_by(table.c.name).limit(20)
    assert await count_of(session, unfiltered) == 3  # type: ignore[arg-type]
    sql = str(session.statement.compile()).upper()
    assert "FROM THING" in sql  # a count without a filter once lost its FROM and counted 1
    assert "ORDER BY" not in sql
    assert "LIMIT" not in sql
    await count_of(session, select(table).where(table.c.name == "x"))  # type: ignore[arg-type]
    assert "WHERE THING.NAME" in str(session.statement.compile()).upper()


def test_a_whole_set_is_one_page_with_its_total() -> None:
    page = Page[int].whole(iter([3, 1, 2]))
    assert (page.items, page.next_cursor, page.total) == ([3, 1, 2], None, 3)
