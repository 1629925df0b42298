"""Crackdown action, interview, exposure and typical case tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.types import utcnow


class MeasureRecord:
    """What every measure records: who acted, where, who wrote it down and when. A measure is written
    once, so its one event carries version 1."""

    version = 1

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    unit_type: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    township_code: Mapped[str | None] = mapped_column(String(12))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @property
    def jurisdiction(self) -> str | None:
        """The township concerned (none for a city-wide measure)."""
        return self.township_code


class CrackdownAction(MeasureRecord, Base):
    """An action against illegal operations: patrols, sites stopped, things seized."""

    __tablename__ = "crackdown_action"
    __table_args__ = (
        Index("ix_crackdown_action_acted_on_id", "acted_on", "id"),
        Index("ix_crackdown_action_township_code_acted_on", "township_code", "acted_on"),
        Index("ix_crackdown_action_unit_code_acted_on", "unit_code", "acted_on"),
    )

    acted_on: Mapped[date] = mapped_column(Date)
    patrols: Mapped[int] = mapped_column(Integer)
    persons_deployed: Mapped[int] = mapped_column(Integer)
    sites_stopped: Mapped[int] = mapped_column(Integer)
    seizures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    seizure_value_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    campaign_code: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)


class Interview(MeasureRecord, Base):
    """An interview (约谈) of enterprise or local officials about safety failings."""

    __tablename__ = "interview"
    __table_args__ = (
        Index("ix_interview_held_on_id", "held_on", "id"),
        Index("ix_interview_township_code_held_on", "township_code", "held_on"),
        Index("ix_interview_unit_code_held_on", "unit_code", "held_on"),
    )

    held_on: Mapped[date] = mapped_column(Date)
    persons: Mapped[int] = mapped_column(Integer)
    enterprise_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)), default=list)
    subject: Mapped[str] = mapped_column(Text)
    hazard_id: Mapped[str | None] = mapped_column(String(64))


class Exposure(MeasureRecord, Base):
    """A public warning exposure (警示曝光)."""

    __tablename__ = "exposure"
    __table_args__ = (
        Index("ix_exposure_published_on_id", "published_on", "id"),
        Index("ix_exposure_township_code_published_on", "township_code", "published_on"),
    )

    published_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    enterprise_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)), default=list)


class TypicalCase(MeasureRecord, Base):
    """A published typical case (典型案例), usually drawn from a penalty case."""

    __tablename__ = "typical_case"
    __table_args__ = (
        Index("ix_typical_case_published_on_id", "published_on", "id"),
        Index("ix_typical_case_township_code_published_on", "township_code", "published_on"),
    )

    case_id: Mapped[uuid.UUID | None]
    published_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(Text)
