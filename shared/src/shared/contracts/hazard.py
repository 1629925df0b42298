"""Events published by the hazard service on `hazard.events`."""

from __future__ import annotations

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import event
from shared.contracts.topics import HAZARD_EVENTS

HAZARD = "hazard"


@event("hazard.reported", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardReportedV1(EventPayload):
    """A hazard was found in an enterprise and entered the list."""

    hazard_id: str
    enterprise_id: str
    township_code: str
    industry_code: str | None = None
    grade: str
    source: str
    description: str
    reported_on: str
