"""Reference data tables: the imported versions and the current entries of each kind."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.types import utcnow
from supervisor_service.db import Base


class ReferenceDataset(Base):
    """One imported version of a reference data kind; re-importing the same version is a no-op."""

    __tablename__ = "reference_dataset"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    item_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class ReferenceEntry:
    """What an entry of every kind carries besides its code: its name and the versions that brought and retired it."""

    name: Mapped[str] = mapped_column(String(100))
    dataset_version: Mapped[str] = mapped_column(String(64))
    retired_in_version: Mapped[str | None] = mapped_column(String(64))


class Jurisdiction(ReferenceEntry, Base):
    """A city, township or village with its national division code."""

    __tablename__ = "jurisdiction"
    __table_args__ = (Index("ix_jurisdiction_parent_code", "parent_code"),)

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    type: Mapped[str | None] = mapped_column(String(32))


class Department(ReferenceEntry, Base):
    """The bureau or an industry department and the industry codes it supervises."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    supervised_industry_codes: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    hosted_by: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class Industry(ReferenceEntry, Base):
    """A GB/T 4754 section (letter) or division (2 digits)."""

    __tablename__ = "industry"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(8))
