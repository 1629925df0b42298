"""Supervisor table."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models import Updated
from supervisor_service.db import Base


class Supervisor(Updated, Base):
    """An official assigned to enterprises, belonging to a department or a township."""

    __tablename__ = "supervisor"
    __table_args__ = (
        Index("ix_supervisor_org_code_name", "org_code", "name", "id"),
        Index("ix_supervisor_township_code", "township_code"),
        Index("ix_supervisor_name_id", "name", "id"),
        Index("ix_supervisor_updated_at", "updated_at", "id"),  # the change feed's order
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    org_kind: Mapped[str] = mapped_column(String(16))
    org_code: Mapped[str] = mapped_column(String(16))
    township_code: Mapped[str | None] = mapped_column(String(12, collation="C"))
    position: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The day the supervisor took office: history imported later keeps its own day.
    appointed_on: Mapped[date] = mapped_column(Date)

    @property
    def jurisdiction(self) -> str | None:
        """The township of a township's supervisor; a department's supervisor has none."""
        return self.township_code
