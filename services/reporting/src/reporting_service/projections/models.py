"""The event log (inbox and rebuild source), per-aggregate state and the counters."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from reporting_service.db import Base
from shared.db.types import utcnow


class EventLogEntry(Base):
    """Every event the projections applied, as received; a rebuild replays it in `seq` order."""

    __tablename__ = "event_log"
    __table_args__ = (
        Index("ix_event_log_seq", "seq", unique=True),
        Index("ix_event_log_event_type_occurred_at", "event_type", "occurred_at"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=False))
    topic: Mapped[str] = mapped_column(String(128))
    event_type: Mapped[str] = mapped_column(String(128))
    event_version: Mapped[int] = mapped_column(Integer)
    aggregate_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(128))
    aggregate_version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    envelope: Mapped[dict[str, object]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class AggregateState(Base):
    """What the projections know of one aggregate: fields with the version that wrote each."""

    __tablename__ = "aggregate_state"
    __table_args__ = (PrimaryKeyConstraint("aggregate_type", "aggregate_id"),)

    aggregate_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, object]] = mapped_column(JSONB)


class _Rollup:
    """Counters per group (all, township, department, industry, campaign) and key."""

    grp: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    period: Mapped[date] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(String(96))
    value: Mapped[int] = mapped_column(BigInteger)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[PrimaryKeyConstraint]:
        return (PrimaryKeyConstraint("grp", "key", "period", "indicator"),)


class StatRollupDay(_Rollup, Base):
    """Daily counters per group and key."""

    __tablename__ = "stat_rollup_day"


class StatRollupMonth(_Rollup, Base):
    """Monthly counters (period = first day of the month), same groups as the daily ones."""

    __tablename__ = "stat_rollup_month"


class StatDetailDay(Base):
    """Daily counters by every dimension at once, for combined filters (campaign '' = any)."""

    __tablename__ = "stat_detail_day"
    __table_args__ = (
        PrimaryKeyConstraint(
            "period", "township_code", "department_code", "industry_code", "campaign_code", "indicator"
        ),
        Index("ix_stat_detail_day_township_code_period", "township_code", "period"),
        Index("ix_stat_detail_day_department_code_period", "department_code", "period"),
        Index("ix_stat_detail_day_industry_code_period", "industry_code", "period"),
        Index("ix_stat_detail_day_campaign_code_period", "campaign_code", "period"),
    )

    period: Mapped[date] = mapped_column(Date)
    township_code: Mapped[str] = mapped_column(String(12))
    department_code: Mapped[str] = mapped_column(String(32))
    industry_code: Mapped[str] = mapped_column(String(8))
    campaign_code: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(96))
    value: Mapped[int] = mapped_column(BigInteger)


class ProjectionFreshness(Base):
    """Per topic: when the projections last applied an event and how new that event was."""

    __tablename__ = "projection_freshness"

    topic: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_event_occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    events_applied: Mapped[int] = mapped_column(BigInteger)


class SupplementaryFigure(Base):
    """A figure no service publishes events for (meetings, training, publicity), entered by the office."""

    __tablename__ = "supplementary_figure"
    __table_args__ = (
        PrimaryKeyConstraint("period_start", "period_end", "indicator"),
        Index("ix_supplementary_figure_period_end", "period_end"),
    )

    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(128))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
