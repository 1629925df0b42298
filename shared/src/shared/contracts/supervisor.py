"""Events published by the supervisor service on `supervisor.events`."""

from __future__ import annotations

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import event
from shared.contracts.topics import SUPERVISOR_EVENTS

ENTERPRISE = "enterprise"


@event("enterprise.registered", 1, aggregate=ENTERPRISE, topic=SUPERVISOR_EVENTS)
class EnterpriseRegisteredV1(EventPayload):
    """A production or business unit entered the registry."""

    enterprise_id: str
    name: str
    credit_code: str
    industry_code: str
    township_code: str
    village_code: str | None = None
    address: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    employee_count: int
    high_risk: bool = False
    risk_level: str | None = None
    status: str


@event("enterprise.updated", 1, aggregate=ENTERPRISE, topic=SUPERVISOR_EVENTS)
class EnterpriseUpdatedV1(EventPayload):
    """An enterprise's registry entry changed; carries the full new state."""

    enterprise_id: str
    name: str
    credit_code: str
    industry_code: str
    township_code: str
    village_code: str | None = None
    address: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    employee_count: int
    high_risk: bool = False
    risk_level: str | None = None
    status: str


@event("enterprise.status_changed", 1, aggregate=ENTERPRISE, topic=SUPERVISOR_EVENTS)
class EnterpriseStatusChangedV1(EventPayload):
    """An enterprise started, suspended or stopped operating."""

    enterprise_id: str
    previous_status: str
    status: str
    reason: str | None = None
