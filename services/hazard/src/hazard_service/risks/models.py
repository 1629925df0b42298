"""Risk points of enterprises with their four-colour level (双重预防)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Float, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.models import Updated


class RiskPoint(Updated, Base):
    """A place, process or piece of equipment of an enterprise where risk is controlled."""

    __tablename__ = "risk_point"
    __table_args__ = (
        Index("ix_risk_point_enterprise_id", "enterprise_id", "id"),
        Index("ix_risk_point_township_code_level", "township_code", "level", "id"),
        Index("ix_risk_point_level", "level", "id"),
        Index("ix_risk_point_updated_at", "updated_at", "id"),  # the change feed's order
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

    @property
    def jurisdiction(self) -> str:
        """The division its events are filed under: the enterprise's township."""
        return self.township_code
