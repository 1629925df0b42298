"""Events published by the enforcement service on `enforcement.events`."""

from __future__ import annotations

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import event
from shared.contracts.topics import ENFORCEMENT_EVENTS

INSPECTION = "inspection"


@event("inspection.recorded", 1, aggregate=INSPECTION, topic=ENFORCEMENT_EVENTS)
class InspectionRecordedV1(EventPayload):
    """An inspection took place: who went, where, and how many enterprises were checked."""

    inspection_id: str
    kind: str
    unit_code: str
    township_code: str | None = None
    inspected_on: str
    persons_deployed: int
    enterprise_ids: list[str]
