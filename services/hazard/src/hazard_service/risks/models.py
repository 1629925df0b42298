"""Risk points of enterprises with their four-colour level (双重预防)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.types import utcnow


class RiskPoint(Base):
    """A place, process or piece of equipment of an enterprise where risk is controlled."""

    __tablename__ = "risk_point"
    __table_args__ = (
        Index("ix_risk_point_enterprise_id", "enterprise_id", "id"),
        Index("ix_risk_point_township_code_level", "township_code", "level", "id"),
        Index("ix_risk_point_level", "level", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID]
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(8))
    hazard_factors: Mapped[str | None] = mapped_column(Text)
    possible_accidents: Mapped[str | None] = mapped_column(Text)
    control_measures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    responsible_person: Mapped[str] = mapped_column(String(100))
    responsible_phone: Mapped[str | None] = mapped_column(String(32))
    responsible_unit: Mapped[str | None] = mapped_column(String(200))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def jurisdiction(self) -> str:
        """The division its events are filed under: the enterprise's township."""
        return self.township_code
