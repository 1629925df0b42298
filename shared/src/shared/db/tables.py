"""Per-service metadata and the platform tables every service schema has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@dataclass(frozen=True)
class ServiceDatabase:
    """A service's schema: its metadata and the platform tables in it."""

    schema: str
    metadata: MetaData
    outbox: Table
    inbox: Table
    dead_letter: Table
    audit: Table
    idempotency: Table

    @property
    def notify_channel(self) -> str:
        """The LISTEN/NOTIFY channel that wakes this service's relay."""
        return f"{self.schema}_outbox"


def _outbox(metadata: MetaData) -> Table:
    return Table(
        "outbox_event",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(128), nullable=False),
        Column("aggregate_version", Integer, nullable=False),
        Column("event_type", String(128), nullable=False),
        Column("event_version", Integer, nullable=False),
        Column("topic", String(128), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        Index("ix_outbox_event_unpublished", "id", postgresql_where=text("published_at IS NULL")),
        # Serves retention and purge of published rows only. Were it to cover NULLs too, a planner with stale
        # statistics (an outbox fills faster than autovacuum analyses it) would read every unpublished row
        # through it and sort them, instead of taking the first ones in id order from the index above.
        Index("ix_outbox_event_published_at", "published_at", postgresql_where=text("published_at IS NOT NULL")),
    )


def _inbox(metadata: MetaData) -> Table:
    return Table(
        "inbox_event",
        metadata,
        Column("consumer", String(128), nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("event_type", String(128), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
    )


def _dead_letter(metadata: MetaData) -> Table:
    return Table(
        "dead_letter",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("consumer", String(128), nullable=False),
        Column("event_id", UUID(as_uuid=True)),
        Column("event_type", String(128)),
        Column("topic", String(128), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("key", Text),
        Column("value", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("resolved_at", DateTime(timezone=True)),
        Index("ix_dead_letter_unresolved", "id", postgresql_where=text("resolved_at IS NULL")),
    )


def _audit(metadata: MetaData) -> Table:
    return Table(
        "audit_entry",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(128)),
        Column("actor_roles", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
        Column("actor_department", String(64)),
        Column("client_ip", String(64)),
        Column("user_agent", Text),
        Column("method", String(16)),
        Column("path", Text),
        Column("correlation_id", String(64)),
        Column("actions", JSONB, nullable=False),
        Index("ix_audit_entry_actor_occurred_at", "actor", "occurred_at"),
        Index("ix_audit_entry_occurred_at", "occurred_at"),
    )


def _idempotency(metadata: MetaData) -> Table:
    return Table(
        "idempotency_key",
        metadata,
        Column("subject", String(128), nullable=False),
        Column("key", String(255), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer),
        Column("response_body", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("completed_at", DateTime(timezone=True)),
        PrimaryKeyConstraint("subject", "key"),
        Index("ix_idempotency_key_created_at", "created_at"),
    )


def make_service_database(schema: str) -> ServiceDatabase:
    """Metadata for `schema` with the naming convention, holding the platform tables."""
    metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)
    return ServiceDatabase(
        schema=schema,
        metadata=metadata,
        outbox=_outbox(metadata),
        inbox=_inbox(metadata),
        dead_letter=_dead_letter(metadata),
        audit=_audit(metadata),
        idempotency=_idempotency(metadata),
    )
