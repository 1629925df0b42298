"""Penalty case tables: the case, its stage history, evidence, payments and clock warnings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.models import Updated
from shared.db.types import utcnow


class PenaltyCase(Updated, Base):
    """An administrative penalty case (general or simplified procedure)."""

    __tablename__ = "penalty_case"
    __table_args__ = (
        UniqueConstraint("case_number", name="uq_penalty_case_case_number"),
        Index("ix_penalty_case_filed_on_id", "filed_on", "id"),
        Index("ix_penalty_case_township_code_filed_on_id", "township_code", "filed_on", "id"),
        Index("ix_penalty_case_unit_code_filed_on_id", "unit_code", "filed_on", "id"),
        Index("ix_penalty_case_stage_filed_on_id", "stage", "filed_on", "id"),
        Index("ix_penalty_case_updated_at", "updated_at", "id"),  # the change feed's order
        # The work list of a township: its cases in one stage, newest first.
        Index("ix_penalty_case_township_code_stage_filed_on_id", "township_code", "stage", "filed_on", "id"),
        Index("ix_penalty_case_enterprise_id_filed_on", "enterprise_id", "filed_on"),
        Index(
            "ix_penalty_case_delegated_township_filed_on",
            "delegated_township_code",
            "filed_on",
            postgresql_where="delegated",
        ),
        Index("ix_penalty_case_procedure_filed_on_id", "procedure", "filed_on", "id"),
        # Clock queries scan only cases still running a limit.
        Index("ix_penalty_case_decide_by_open", "decide_by", postgresql_where="decided_on IS NULL"),
        Index("ix_penalty_case_service_by_open", "service_by", postgresql_where="stage = 'decided'"),
        Index("ix_penalty_case_pay_by_open", "pay_by", postgresql_where="stage = 'served'"),
        Index("ix_penalty_case_hearing_request_by_open", "hearing_request_by", postgresql_where="stage = 'notified'"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_number: Mapped[str] = mapped_column(String(64))
    procedure: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(32))
    party_type: Mapped[str] = mapped_column(String(8))
    party_name: Mapped[str] = mapped_column(String(200))
    enterprise_id: Mapped[uuid.UUID | None]
    township_code: Mapped[str] = mapped_column(String(12))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    unit_type: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    delegated: Mapped[bool] = mapped_column(Boolean, default=False)
    delegated_township_code: Mapped[str | None] = mapped_column(String(12))
    delegation_id: Mapped[uuid.UUID | None]
    cause: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    inspection_id: Mapped[uuid.UUID | None]
    lead_id: Mapped[uuid.UUID | None]
    campaign_code: Mapped[str | None] = mapped_column(String(64))
    rule_set: Mapped[str] = mapped_column(String(32))
    filed_on: Mapped[date] = mapped_column(Date)
    decide_by: Mapped[date] = mapped_column(Date)
    decide_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    officers: Mapped[list[str]] = mapped_column(ARRAY(String(100)), default=list)
    proposed_items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    legal_reviewed_on: Mapped[date | None] = mapped_column(Date)
    collective_discussed_on: Mapped[date | None] = mapped_column(Date)
    notified_on: Mapped[date | None] = mapped_column(Date)
    hearing_request_by: Mapped[date | None] = mapped_column(Date)
    hearing_requested_on: Mapped[date | None] = mapped_column(Date)
    hearing_on: Mapped[date | None] = mapped_column(Date)
    hearing_held_on: Mapped[date | None] = mapped_column(Date)
    hearing_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(32))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(64))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    fine_total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    service_by: Mapped[date | None] = mapped_column(Date)
    served_on: Mapped[date | None] = mapped_column(Date)
    pay_by: Mapped[date | None] = mapped_column(Date)
    fine_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    late_charge_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    court_enforcement_requested_on: Mapped[date | None] = mapped_column(Date)
    court: Mapped[str | None] = mapped_column(String(200))
    executed_on: Mapped[date | None] = mapped_column(Date)
    execution_how: Mapped[str | None] = mapped_column(String(32))
    closed_on: Mapped[date | None] = mapped_column(Date)
    archived_on: Mapped[date | None] = mapped_column(Date)
    archive_number: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))

    @property
    def jurisdiction(self) -> str:
        """The division whose officials see the case's events: the party's township."""
        return self.township_code


class CaseStageEntry(Base):
    """One step of a case's history: action, stages, approver, opinion and time."""

    __tablename__ = "case_stage_entry"
    __table_args__ = (Index("ix_case_stage_entry_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("penalty_case.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    from_stage: Mapped[str] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    approver: Mapped[str] = mapped_column(String(200))
    opinion: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseEvidence(Base):
    """An item of evidence on a case, with references to its stored attachments."""

    __tablename__ = "case_evidence"
    __table_args__ = (Index("ix_case_evidence_case_id_created_at", "case_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("penalty_case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    collected_on: Mapped[date] = mapped_column(Date)
    collected_by: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class CasePayment(Base):
    """A payment towards a fine and its late charge."""

    __tablename__ = "case_payment"
    __table_args__ = (Index("ix_case_payment_case_id_paid_on", "case_id", "paid_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("penalty_case.id", ondelete="CASCADE"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    fine_part_fen: Mapped[int] = mapped_column(BigInteger)
    late_charge_part_fen: Mapped[int] = mapped_column(BigInteger)
    receipt_number: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class CaseClockWarning(Base):
    """A clock warning already emitted; the key makes the periodic job emit each warning once."""

    __tablename__ = "case_clock_warning"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("penalty_case.id", ondelete="CASCADE"), primary_key=True)
    clock: Mapped[str] = mapped_column(String(32), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    emitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class DocumentSequence(Base):
    """The last number used for a kind of document (case, decision...) of a unit in a year."""

    __tablename__ = "document_sequence"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
