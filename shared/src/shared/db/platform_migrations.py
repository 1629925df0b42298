"""Migration operations written out once for the services' migrations: the platform tables every service
schema holds (outbox, inbox, dead letters, audit trail, Idempotency-Keys), the enterprise read model
of `shared.readmodels.enterprises`, and the index and table steps every migration takes.

Like any migration, these are frozen: a later change to these tables is a new function here, called
from a new revision of each service that holds them, never an edit of this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

PLATFORM_TABLES = ("audit_entry", "dead_letter", "idempotency_key", "inbox_event", "outbox_event")


def create_platform_tables(schema: str) -> None:
    """Create the platform tables and their indexes in `schema` (revision 1 of their shape)."""
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.Column("actor_roles", jsonb, server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("actor_department", sa.String(length=64), nullable=True),
        sa.Column("client_ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("actions", jsonb, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
        schema=schema,
    )
    create_indexes(
        schema,
        "audit_entry",
        sa.Index("ix_audit_entry_actor_occurred_at", "actor", "occurred_at"),
        sa.Index("ix_audit_entry_occurred_at", "occurred_at"),
    )
    op.create_table(
        "dead_letter",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=True),
        sa.Column("event_type", sa.String(length=128), nullable=True),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letter"),
        schema=schema,
    )
    create_indexes(
        schema,
        "dead_letter",
        sa.Index("ix_dead_letter_unresolved", "id", postgresql_where=sa.text("resolved_at IS NULL")),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("subject", "key", name="pk_idempotency_key"),
        schema=schema,
    )
    create_indexes(schema, "idempotency_key", sa.Index("ix_idempotency_key_created_at", "created_at"))
    op.create_table(
        "inbox_event",
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox_event"),
        schema=schema,
    )
    op.create_table(
        "outbox_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("aggregate_type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=128), nullable=False),
        sa.Column("aggregate_version", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("event_version", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("payload", jsonb, nullable=False),
        sa.Column("headers", jsonb, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_event"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_event_id"),
        schema=schema,
    )
    create_indexes(
        schema,
        "outbox_event",
        sa.Index("ix_outbox_event_published_at", "published_at"),
        sa.Index("ix_outbox_event_unpublished", "id", postgresql_where=sa.text("published_at IS NULL")),
    )


def drop_platform_tables(schema: str) -> None:
    """Drop the platform tables of `schema` with their indexes."""
    drop_tables(schema, *PLATFORM_TABLES)


def create_enterprise_view(schema: str, *, village_and_employee_count: bool) -> None:
    """Create the enterprise read model table (shared.readmodels.enterprises) and its township index in `schema`.

    `village_and_employee_count=False` is the shape from before those two columns existed (enforcement's
    revision 1; its revision 2 adds them after the others).
    """
    village_and_employee_columns: list[sa.Column[Any]] = (
        [
            sa.Column("village_code", sa.String(length=12), nullable=True),
            sa.Column("employee_count", sa.Integer(), nullable=False),
        ]
        if village_and_employee_count
        else []
    )
    op.create_table(
        "enterprise_view",
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        *village_and_employee_columns,
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("aggregate_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprise_view")),
        schema=schema,
    )
    create_indexes(schema, "enterprise_view", sa.Index("ix_enterprise_view_township_code", "township_code"))


def create_indexes(schema: str, table: str, *indexes: sa.Index) -> None:
    """Create indexes on `schema.table`, each declared as a model's table arguments declare one.

    `sa.Index("ix_t_a_id", "a", "id", postgresql_where=sa.text("b"))` becomes the same index as the
    `op.create_index` call spelling out name, table, columns, uniqueness, schema and options.
    """
    for index in indexes:
        op.create_index(
            str(index.name), table, list(index.expressions), unique=bool(index.unique), schema=schema, **index.kwargs
        )


def drop_indexes(schema: str, table: str, *names: str) -> None:
    """Drop the named indexes of `schema.table`, in the order given."""
    for name in names:
        op.drop_index(name, table_name=table, schema=schema)


def drop_tables(schema: str, *tables: str) -> None:
    """Drop tables of `schema` in the order given (dependents first); each takes its indexes with it."""
    for table in tables:
        op.drop_table(table, schema=schema)


def index_only_published_outbox_rows(schema: str) -> None:
    """Revision 2: the outbox's published_at index leaves out unpublished rows (the relay's plan stays on
    the partial index in id order even when the table's statistics are stale)."""
    _recreate_published_at_index(schema, where="published_at IS NOT NULL")


def index_all_outbox_rows_by_published_at(schema: str) -> None:
    """Undo revision 2: the published_at index covers every outbox row again."""
    _recreate_published_at_index(schema, where=None)


def outbox_published_index_revision(schema: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """Revision 2's upgrade and downgrade for `schema`, which a service's revision module binds as its own:
    `upgrade, downgrade = outbox_published_index_revision("hazard")` (the same revision in every service)."""

    def upgrade() -> None:
        index_only_published_outbox_rows(schema)

    def downgrade() -> None:
        index_all_outbox_rows_by_published_at(schema)

    return upgrade, downgrade


def _recreate_published_at_index(schema: str, *, where: str | None) -> None:
    drop_indexes(schema, "outbox_event", "ix_outbox_event_published_at")
    create_indexes(
        schema,
        "outbox_event",
        sa.Index("ix_outbox_event_published_at", "published_at", postgresql_where=sa.text(where) if where else None),
    )
