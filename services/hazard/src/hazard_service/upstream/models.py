"""The upstream outbox, id mapping and per-target delivery state of the upward direct report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.types import utcnow


class UpstreamMessage(Base):
    """One change of a major hazard waiting to be (or already) sent to one upstream target."""

    __tablename__ = "upstream_outbox"
    __table_args__ = (
        UniqueConstraint("target", "message_id"),
        Index(
            "ix_upstream_outbox_pending", "target", "id", postgresql_where=text("sent_at IS NULL AND parked_at IS NULL")
        ),
        Index(
            "ix_upstream_outbox_parked",
            "target",
            "id",
            postgresql_where=text("parked_at IS NOT NULL AND discarded_at IS NULL"),
        ),
        Index("ix_upstream_outbox_sent_at", "sent_at", postgresql_where=text("sent_at IS NOT NULL")),
        Index("ix_upstream_outbox_hazard_id", "hazard_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[uuid.UUID]
    hazard_id: Mapped[uuid.UUID]
    township_code: Mapped[str] = mapped_column(String(12))
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The target refused it for good (a 4xx): it waits for an operator, and later messages go on.
    parked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_status: Mapped[int | None] = mapped_column(Integer)
    answer_body: Mapped[str | None] = mapped_column(Text)
    discarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    discarded_by: Mapped[str | None] = mapped_column(String(128))
    # What the target later said about an accepted message (its receipt): accepted, rejected or corrected.
    receipt_status: Mapped[str | None] = mapped_column(String(16))
    receipt_reason: Mapped[str | None] = mapped_column(Text)
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UpstreamMapping(Base):
    """Our hazard id and the id the upstream target gave it, with the hazard's sync status there."""

    __tablename__ = "upstream_mapping"
    __table_args__ = (Index("ix_upstream_mapping_sync_status", "target", "sync_status"),)

    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    hazard_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(128))
    sync_status: Mapped[str] = mapped_column(String(16), default="pending")
    last_event_type: Mapped[str | None] = mapped_column(String(64))
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class UpstreamTargetState(Base):
    """How a target is doing: consecutive failures, since when, and the last error (the alert source)."""

    __tablename__ = "upstream_target_state"

    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    alerting: Mapped[bool] = mapped_column(default=False)
    # Any answer (even a rejection) proves the target reachable; /readyz looks at this.
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipts_cursor: Mapped[str | None] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
