"""The shared migration steps emit the DDL the services' migrations spelled out before they called them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op
from alembic.migration import MigrationContext
from alembic.operations import Operations

from shared.db.platform_migrations import create_enterprise_view, create_indexes, drop_indexes, drop_tables
from shared.readmodels.enterprises import EnterpriseViewColumns


def _sql(step: Callable[[], None]) -> str:
    """The SQL a migration step emits, rendered offline for PostgreSQL."""
    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "output_buffer": buffer})
    with Operations.context(context):
        step()
    return buffer.getvalue()


def _columns(create_table_sql: str) -> list[str]:
    """Column names of the first CREATE TABLE statement, in order."""
    return re.findall(r"^\s+(\w+) [A-Z]", create_table_sql.split(";")[0], flags=re.MULTILINE)


def test_an_index_declared_once_is_the_index_the_op_call_spells_out() -> None:
    declared = _sql(
        lambda: create_indexes(
            "enforcement",
            "penalty_case",
            sa.Index("ix_penalty_case_filed_on_id", "filed_on", "id"),
            sa.Index("uq_open", sa.literal_column("coalesce(decide_by, DATE '9999-12-31')"), "id", unique=True),
            sa.Index("ix_pay_by_open", "pay_by", postgresql_where="stage = 'served'"),
            sa.Index("ix_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        )
    )

    def spelled_out() -> None:
        op.create_index(
            "ix_penalty_case_filed_on_id", "penalty_case", ["filed_on", "id"], unique=False, schema="enforcement"
        )
        op.create_index(
            "uq_open",
            "penalty_case",
            [sa.literal_column("coalesce(decide_by, DATE '9999-12-31')"), "id"],
            unique=True,
            schema="enforcement",
        )
        op.create_index(
            "ix_pay_by_open",
            "penalty_case",
            ["pay_by"],
            unique=False,
            schema="enforcement",
            postgresql_where="stage = 'served'",
        )
        op.create_index(
            "ix_name_trgm",
            "penalty_case",
            ["name"],
            unique=False,
            schema="enforcement",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )

    assert declared == _sql(spelled_out)
    assert (
        "CREATE UNIQUE INDEX uq_open ON enforcement.penalty_case (coalesce(decide_by, DATE '9999-12-31'), id)"
        in declared
    )
    assert "WHERE stage = 'served'" in declared
    assert "USING gin (name gin_trgm_ops)" in declared


def test_enterprise_view_has_the_read_models_columns_in_its_order() -> None:
    current = _sql(lambda: create_enterprise_view("hazard", village_and_employee_count=True))

    assert _columns(current) == list(EnterpriseViewColumns.__annotations__)
    assert "CONSTRAINT pk_enterprise_view PRIMARY KEY (enterprise_id)" in current
    assert "CREATE INDEX ix_enterprise_view_township_code ON hazard.enterprise_view (township_code)" in current


def test_enterprise_view_before_village_and_employee_count_leaves_them_out() -> None:
    earlier = _sql(lambda: create_enterprise_view("enforcement", village_and_employee_count=False))

    assert _columns(earlier) == [
        name for name in EnterpriseViewColumns.__annotations__ if name not in ("village_code", "employee_count")
    ]


def test_tables_and_indexes_are_dropped_in_the_order_given_and_nothing_else() -> None:
    def downgrade() -> None:
        drop_indexes("enforcement", "delegation", "ix_b", "ix_a")
        drop_tables("supervisor", "visit_finding", "visit")

    statements = [line for line in _sql(downgrade).splitlines() if line.strip()]
    assert statements == [
        "DROP INDEX enforcement.ix_b;",
        "DROP INDEX enforcement.ix_a;",
        "DROP TABLE supervisor.visit_finding;",
        "DROP TABLE supervisor.visit;",
    ]
