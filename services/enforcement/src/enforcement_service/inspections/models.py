"""Inspection table."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.types import utcnow


class Inspection(Base):
    """An inspection: who went, when, and which enterprises were checked."""

    __tablename__ = "inspection"
    __table_args__ = (Index("ix_inspection_unit_code_inspected_on", "unit_code", "inspected_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(32))
    unit_code: Mapped[str] = mapped_column(String(32))
    township_code: Mapped[str | None] = mapped_column(String(12))
    inspected_on: Mapped[date] = mapped_column(Date)
    persons_deployed: Mapped[int] = mapped_column(Integer)
    enterprise_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
