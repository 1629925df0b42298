"""Statements compiled for the driver take the values their SQLAlchemy originals take."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, insert
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.db.driver import DriverStatement

_TABLE = Table(
    "entry",
    MetaData(schema="demo"),
    Column("id", Integer, primary_key=True),
    Column("name", String(20)),
    Column("tags", ARRAY(String(10))),
    Column("details", JSONB),
    Column("version", Integer),
)
INSERT = DriverStatement.of(
    insert(_TABLE).values(name=bindparam("name"), tags=bindparam("tags"), details=bindparam("details"), version=1)
)


def test_parameters_become_numbered_placeholders_in_statement_order() -> None:
    assert INSERT.sql.startswith("INSERT INTO demo.entry (name, tags, details, version) VALUES ($1")
    assert INSERT.parameters == ("name", "tags", "details", "version")


def test_json_values_are_sent_as_text_and_written_in_values_need_not_be_passed() -> None:
    name, tags, details, version = INSERT.args({"name": "甲", "tags": ["a"], "details": {"k": [1, "二"]}})
    assert (name, tags, version) == ("甲", ["a"], 1)
    assert json.loads(details) == {"k": [1, "二"]}


def test_a_json_null_stays_a_sql_null_and_a_missing_value_is_an_error() -> None:
    assert INSERT.args({"name": None, "tags": None, "details": None})[:3] == [None, None, None]
    with pytest.raises(KeyError, match="details"):
        INSERT.args({"name": "x", "tags": []})
