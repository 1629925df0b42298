"""Enterprise table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.types import utcnow
from supervisor_service.db import Base


class Enterprise(Base):
    """A production or business unit in the registry."""

    __tablename__ = "enterprise"
    __table_args__ = (
        Index("ix_enterprise_township_code_name", "township_code", "name"),
        Index("ix_enterprise_industry_code", "industry_code"),
        Index("ix_enterprise_status", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    industry_code: Mapped[str] = mapped_column(String(8))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(300))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    employee_count: Mapped[int] = mapped_column(Integer)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_level: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
