"""The event log (source of rebuilds) and the counters kept from it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, PrimaryKeyConstraint, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from reporting_service.db import Base
from shared.db.types import utcnow


class EventLogEntry(Base):
    """Every applied event, as received; replayed by a rebuild."""

    __tablename__ = "event_log"
    __table_args__ = (Index("ix_event_log_occurred_at", "occurred_at"),)

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(128))
    aggregate_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(128))
    aggregate_version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    envelope: Mapped[dict[str, object]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class DailyCounter(Base):
    """A count per day, township and indicator, maintained incrementally."""

    __tablename__ = "daily_counter"
    __table_args__ = (PrimaryKeyConstraint("indicator", "day", "township_code"),)

    indicator: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    township_code: Mapped[str] = mapped_column(String(12))
    value: Mapped[int] = mapped_column(Integer, default=0)
