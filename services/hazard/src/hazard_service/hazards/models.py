"""Hazard table."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.types import utcnow


class Hazard(Base):
    """A hazard found in an enterprise."""

    __tablename__ = "hazard"
    __table_args__ = (
        Index("ix_hazard_township_code_reported_on", "township_code", "reported_on"),
        Index("ix_hazard_enterprise_id", "enterprise_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID]
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    grade: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    reported_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
