"""Bodies of the upstream report API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TargetStatus(BaseModel):
    """How delivery to one target is going."""

    target: str
    kind: str
    url: str
    enabled: bool
    backlog: int
    oldest_unsent_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    last_error: str | None
    last_success_at: datetime | None
    last_contact_at: datetime | None = None
    alerting: bool
    parked: int = 0


class MessageRead(BaseModel):
    """One entry of the upstream outbox."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    target: str
    message_id: uuid.UUID
    hazard_id: uuid.UUID
    event_type: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    parked_at: datetime | None = None
    answer_status: int | None = None
    answer_body: str | None = None
    discarded_at: datetime | None = None
    discarded_by: str | None = None
    receipt_status: str | None = None
    receipt_reason: str | None = None
    receipt_at: datetime | None = None


class TargetReconciliation(BaseModel):
    """One target's day: what we sent and what it acknowledged, rejected or corrected since."""

    target: str
    sent: int = 0
    acknowledged: int = 0
    rejected: int = 0
    corrected: int = 0
    unacknowledged: int = 0
    parked: int = 0
    discarded: int = 0
    unacknowledged_message_ids: list[uuid.UUID] = Field(default_factory=list)


class ReconciliationReport(BaseModel):
    """The daily reconciliation of the upward report, per target (the day in the regulator's zone)."""

    day: date
    generated_at: datetime
    targets: list[TargetReconciliation]


class ReceiptIn(BaseModel):
    """A target's word on one message it took (its status callback)."""

    messageId: str
    status: Literal["accepted", "rejected", "corrected"]
    reason: str | None = Field(default=None, max_length=2000)
    remoteId: str | None = Field(default=None, max_length=128)


class ReceiptsIn(BaseModel):
    """A status callback: one or more receipts."""

    receipts: list[ReceiptIn] = Field(min_length=1, max_length=1000)


class ReceiptsApplied(BaseModel):
    """How many receipts changed something."""

    applied: int


class MappingRead(BaseModel):
    """A hazard's id and sync status at one target."""

    model_config = ConfigDict(from_attributes=True)

    target: str
    hazard_id: uuid.UUID
    external_id: str | None
    sync_status: str
    last_event_type: str | None
    last_sent_at: datetime | None
