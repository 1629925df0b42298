"""The enterprise read model, kept from supervisor events."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.types import utcnow


class EnterpriseView(Base):
    """What the enforcement service knows of an enterprise; `aggregate_version` guards against stale events."""

    __tablename__ = "enterprise_view"
    __table_args__ = (Index("ix_enterprise_view_township_code", "township_code"),)

    enterprise_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    industry_code: Mapped[str] = mapped_column(String(8))
    township_code: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16))
    aggregate_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
