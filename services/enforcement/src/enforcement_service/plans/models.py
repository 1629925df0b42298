"""Enforcement plan table."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.models import Updated


class EnforcementPlan(Updated, Base):
    """The annual enforcement plan of one department or township, with monthly targets."""

    __tablename__ = "enforcement_plan"
    __table_args__ = (
        UniqueConstraint("year", "unit_type", "unit_code", name="uq_enforcement_plan_year_unit"),
        Index("ix_enforcement_plan_year_approved_on_id", "year", "approved_on", "id"),
        Index("ix_enforcement_plan_unit_code_approved_on_id", "unit_code", "approved_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(Integer)
    unit_type: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(100))
    months: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(200))

    @property
    def jurisdiction(self) -> str | None:
        """A township's plan is seen by its township; a department's is city-wide."""
        return self.unit_code if self.unit_type == "township" else None
