"""Case lead table."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.models import Versioned


class CaseLead(Versioned, Base):
    """A lead for a possible case; an officer accepts or dismisses it."""

    __tablename__ = "case_lead"
    __table_args__ = (
        # One lead per hazard and missed deadline, however often the overdue event is delivered.
        UniqueConstraint("hazard_id", "deadline", name="uq_case_lead_hazard_id_deadline"),
        Index("ix_case_lead_township_code_opened_on_id", "township_code", "opened_on", "id"),
        Index("ix_case_lead_status_opened_on_id", "status", "opened_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    source: Mapped[str] = mapped_column(String(32))
    hazard_id: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[date | None] = mapped_column(Date)
    enterprise_id: Mapped[uuid.UUID | None]
    township_code: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    opened_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[uuid.UUID | None]

    @property
    def jurisdiction(self) -> str:
        """The township whose officials see this record's events."""
        return self.township_code
