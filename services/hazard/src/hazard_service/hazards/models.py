"""Tables of hazards: the hazard, its timeline, photos, listing, deferrals, notices and overdue marks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.models import Updated
from shared.db.types import utcnow


class Hazard(Updated, Base):
    """A hazard found in an enterprise, followed until it is closed or withdrawn."""

    __tablename__ = "hazard"
    __table_args__ = (
        # Every list filter has an index ending in the default sort key (reported_on, id).
        Index("ix_hazard_reported_on_id", "reported_on", "id"),
        Index("ix_hazard_township_code_reported_on", "township_code", "reported_on", "id"),
        Index("ix_hazard_enterprise_id_reported_on", "enterprise_id", "reported_on", "id"),
        Index("ix_hazard_status_reported_on", "status", "reported_on", "id"),
        Index("ix_hazard_grade_status_reported_on", "grade", "status", "reported_on", "id"),
        Index("ix_hazard_source_reported_on", "source", "reported_on", "id"),
        Index("ix_hazard_deadline", "rectification_deadline", "id"),
        Index("ix_hazard_deadline_key", text("coalesce(rectification_deadline, DATE '9999-12-31')"), "id"),
        Index("ix_hazard_created_at", "created_at", "id"),
        Index("ix_hazard_updated_at", "updated_at", "id"),  # the change feed's order
        Index("ix_hazard_overdue", "reported_on", "id", postgresql_where=text("overdue")),
        Index("ix_hazard_listed", "reported_on", "id", postgresql_where=text("listed")),
        Index("ix_hazard_campaign_codes", "campaign_codes", postgresql_using="gin"),
        Index("ix_hazard_closed_on", "closed_on", "id", postgresql_where=text("closed_on IS NOT NULL")),
        Index(
            "ix_hazard_open_rectification_deadline",
            "rectification_deadline",
            postgresql_where=text("status = 'rectifying'"),
        ),
        Index("ix_hazard_open_review_due_on", "review_due_on", postgresql_where=text("status = 'acceptance_applied'")),
        Index("uq_hazard_source_reference", "source_reference", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID]
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    department_code: Mapped[str | None] = mapped_column(String(32))
    grade: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    source_reference: Mapped[str | None] = mapped_column(String(128))
    campaign_codes: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list, server_default="{}")
    category: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(100))
    reporting_unit: Mapped[str | None] = mapped_column(String(200))
    reported_by: Mapped[str | None] = mapped_column(String(128))
    reported_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    funds_fen: Mapped[int | None] = mapped_column(BigInteger)
    funds_spent_fen: Mapped[int | None] = mapped_column(BigInteger)
    rectification_deadline: Mapped[date | None] = mapped_column(Date)
    original_deadline: Mapped[date | None] = mapped_column(Date)
    responsible_person: Mapped[str | None] = mapped_column(String(100))
    measures: Mapped[str | None] = mapped_column(Text)
    emergency_plan: Mapped[str | None] = mapped_column(Text)
    standard_code: Mapped[str | None] = mapped_column(String(64))
    standard_version: Mapped[str | None] = mapped_column(String(32))
    clause_code: Mapped[str | None] = mapped_column(String(64))
    ledger_number: Mapped[str | None] = mapped_column(String(64))
    ledgered_on: Mapped[date | None] = mapped_column(Date)
    listed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    listing_level: Mapped[str | None] = mapped_column(String(64))
    applied_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    deferral_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    overdue: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    was_overdue: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    escalation_step: Mapped[str | None] = mapped_column(String(32))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def jurisdiction(self) -> str:
        """The division its events are filed under: the enterprise's township."""
        return self.township_code


class HazardTimelineEntry(Base):
    """One step of a hazard's history: who did what, when, why, and the status it led to."""

    __tablename__ = "hazard_timeline"
    __table_args__ = (Index("ix_hazard_timeline_hazard_id", "hazard_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    hazard_id: Mapped[uuid.UUID]
    hazard_version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(48))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    actor_roles: Mapped[list[str]] = mapped_column(JSONB, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class HazardPhoto(Base):
    """A photo of the hazard before or after rectification; the bytes live in the photo store."""

    __tablename__ = "hazard_photo"
    __table_args__ = (Index("ix_hazard_photo_hazard_id", "hazard_id", "uploaded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    hazard_id: Mapped[uuid.UUID]
    phase: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    # None for a photo Pillow cannot decode (its leading bytes passed the type check) or one stored before previews.
    thumbnail_key: Mapped[str | None] = mapped_column(String(300))
    original_name: Mapped[str | None] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class EvidenceObject(Base):
    """Evidence bytes kept in the hazard schema by the PostgreSQL store, keyed like objects in a bucket."""

    __tablename__ = "evidence_object"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class HazardListing(Base):
    """挂牌督办 of a major hazard with its hand-over note (交办单) and signed receipt."""

    __tablename__ = "hazard_listing"
    __table_args__ = (
        UniqueConstraint("hazard_id"),
        Index("ix_hazard_listing_level_listed_on", "level", "listed_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    hazard_id: Mapped[uuid.UUID]
    level: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str] = mapped_column(String(100))
    listed_on: Mapped[date] = mapped_column(Date)
    responsible_unit: Mapped[str] = mapped_column(String(200))
    handing_unit: Mapped[str] = mapped_column(String(200))
    supervising_unit: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    receipt_signed_by: Mapped[str | None] = mapped_column(String(100))
    receipt_signed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class HazardDeferral(Base):
    """A request to move a rectification deadline, and its decision."""

    __tablename__ = "hazard_deferral"
    __table_args__ = (Index("ix_hazard_deferral_hazard_id", "hazard_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    hazard_id: Mapped[uuid.UUID]
    current_deadline: Mapped[date] = mapped_column(Date)
    requested_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(128))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HazardNotice(Base):
    """A public notice (通报) about a hazard."""

    __tablename__ = "hazard_notice"
    __table_args__ = (Index("ix_hazard_notice_hazard_id", "hazard_id", "published_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    hazard_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    document_number: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column(Date)
    published_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class HazardOverdueMark(Base):
    """A missed deadline; the unique key makes the overdue event happen once per hazard and deadline."""

    __tablename__ = "hazard_overdue"
    __table_args__ = (UniqueConstraint("hazard_id", "deadline_kind", "deadline"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    hazard_id: Mapped[uuid.UUID]
    deadline_kind: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date] = mapped_column(Date)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
