"""Tables of judgment standards and their clauses, kept per version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKeyConstraint, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from hazard_service.db import Base
from shared.db.types import utcnow


class JudgmentStandard(Base):
    """One version of a 重大事故隐患判定标准 (e.g. 应急管理部令第10号)."""

    __tablename__ = "judgment_standard"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(String(100))
    issuer_document: Mapped[str | None] = mapped_column(String(200))
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    industries: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)
    item_count: Mapped[int | None] = mapped_column(Integer)
    scope_note: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class JudgmentClause(Base):
    """A clause of a standard version that a major hazard cites."""

    __tablename__ = "judgment_clause"
    __table_args__ = (
        ForeignKeyConstraint(
            ["standard_code", "standard_version"], ["judgment_standard.code", "judgment_standard.version"]
        ),
        Index("ix_judgment_clause_industries", "industries", postgresql_using="gin"),
    )

    standard_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    standard_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    article: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(32))
    industries: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)
    confidence: Mapped[str | None] = mapped_column(String(16))
