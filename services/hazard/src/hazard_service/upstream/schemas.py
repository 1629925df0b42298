"""Bodies of the upstream report API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


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
    alerting: bool


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


class MappingRead(BaseModel):
    """A hazard's id and sync status at one target."""

    model_config = ConfigDict(from_attributes=True)

    target: str
    hazard_id: uuid.UUID
    external_id: str | None
    sync_status: str
    last_event_type: str | None
    last_sent_at: datetime | None
