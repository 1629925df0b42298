"""Visit and finding tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.types import utcnow
from supervisor_service.db import Base


class Visit(Base):
    """A supervisor's visit to an enterprise; immutable once logged."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_supervisor_visited_on", "supervisor_id", "visited_on", "id"),
        Index("ix_visit_enterprise_visited_on", "enterprise_id", "visited_on", "id"),
        Index("ix_visit_township_visited_on", "township_code", "visited_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    supervisor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supervisor.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprise.id"))
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str] = mapped_column(String(8))
    visited_on: Mapped[date] = mapped_column(Date)
    checked_items: Mapped[list[str]] = mapped_column(JSONB)
    summary: Mapped[str | None] = mapped_column(Text)
    finding_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @property
    def version(self) -> int:
        """A visit never changes once logged, so it has one version."""
        return 1

    @property
    def jurisdiction(self) -> str:
        """The township of the visited enterprise."""
        return self.township_code


class VisitFinding(Base):
    """A problem found during a visit; published for the hazard service to register as a hazard."""

    __tablename__ = "visit_finding"
    __table_args__ = (Index("ix_visit_finding_visit_id", "visit_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    grade_suggestion: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(String(200))
    photo_refs: Mapped[list[str]] = mapped_column(JSONB)
    clause_code: Mapped[str | None] = mapped_column(String(32))
