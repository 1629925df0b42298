"""The event envelope every message carries, and the base class of payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared import clock
from shared.context import causation_id_var, current_correlation_id


class EventPayload(BaseModel):
    """Base of every payload class `<Aggregate><PastTense>V<n>`; consumers ignore unknown fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    event_version: ClassVar[int]
    aggregate_type: ClassVar[str]
    topic: ClassVar[str]


class EventEnvelope(BaseModel):
    """Metadata around a payload; JSON in the Kafka value, key = aggregate_id."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: uuid.UUID
    event_type: str
    event_version: int = Field(ge=1)
    source: str
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int = Field(ge=1)
    occurred_at: datetime
    correlation_id: str
    causation_id: str | None = None
    actor: str | None = None
    jurisdiction: str | None = None
    data: dict[str, Any]

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers that let a consumer skip unknown events without parsing the value."""
        return [
            ("event_id", str(self.event_id).encode()),
            ("event_type", self.event_type.encode()),
            ("event_version", str(self.event_version).encode()),
        ]


def new_envelope(
    payload: EventPayload,
    *,
    source: str,
    aggregate_id: str,
    aggregate_version: int,
    actor: str | None,
    jurisdiction: str | None,
    occurred_at: datetime | None = None,
) -> EventEnvelope:
    """Wrap a payload with ids, time and the correlation and causation of the current context."""
    return EventEnvelope(
        event_id=uuid.uuid4(),
        event_type=payload.event_type,
        event_version=payload.event_version,
        source=source,
        aggregate_type=payload.aggregate_type,
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
        occurred_at=occurred_at or clock.now(),
        correlation_id=current_correlation_id(),
        causation_id=causation_id_var.get(),
        actor=actor,
        jurisdiction=jurisdiction,
        data=payload.model_dump(mode="json"),
    )
