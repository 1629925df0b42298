"""Inspection and finding tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.models import Updated
from shared.db.types import utcnow


class Inspection(Updated, Base):
    """An inspection: its kind, the unit that went, the team, the enterprises checked and the findings."""

    __tablename__ = "inspection"
    __table_args__ = (
        Index("ix_inspection_inspected_on_id", "inspected_on", "id"),
        Index("ix_inspection_unit_code_inspected_on_id", "unit_code", "inspected_on", "id"),
        Index("ix_inspection_township_code_inspected_on_id", "township_code", "inspected_on", "id"),
        Index("ix_inspection_kind_inspected_on_id", "kind", "inspected_on", "id"),
        Index("ix_inspection_updated_at", "updated_at", "id"),  # the change feed's order
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(32))
    unit_type: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    township_code: Mapped[str | None] = mapped_column(String(12))
    inspected_on: Mapped[date] = mapped_column(Date)
    leader_name: Mapped[str | None] = mapped_column(String(100))
    leader_post: Mapped[str | None] = mapped_column(String(100))
    team_members: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    persons_deployed: Mapped[int] = mapped_column(Integer)
    enterprise_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)))
    findings_count: Mapped[int] = mapped_column(Integer, default=0)
    major_findings_count: Mapped[int] = mapped_column(Integer, default=0)
    campaign_code: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))

    @property
    def jurisdiction(self) -> str | None:
        """The township whose officials see this record's events (none for a city-wide inspection)."""
        return self.township_code


class InspectionFinding(Base):
    """A finding of an inspection in one enterprise; published so the hazard service registers it."""

    __tablename__ = "inspection_finding"
    __table_args__ = (Index("ix_inspection_finding_inspection_id", "inspection_id"),)

    # A finding never changes once recorded: its one event carries version 1.
    version = 1

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[uuid.UUID]
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text)
    grade_suggestion: Mapped[str] = mapped_column(String(16))
    standard_code: Mapped[str | None] = mapped_column(String(64))
    clause: Mapped[str | None] = mapped_column(String(64))
    rectify_by: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @property
    def jurisdiction(self) -> str:
        """The township of the enterprise the finding is about."""
        return self.township_code
