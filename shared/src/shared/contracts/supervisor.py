"""Events published by the supervisor service on `supervisor.events`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import event
from shared.contracts.topics import SUPERVISOR_EVENTS
from shared.contracts.vocabulary import RiskLevel

ENTERPRISE = "enterprise"
SUPERVISOR = "supervisor"
ASSIGNMENT = "assignment"
VISIT = "visit"
RISK_LEVEL_FIELD = f"The enterprise's risk level (shared.contracts.vocabulary.RiskLevel): {' | '.join(RiskLevel)}."


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
    risk_level: str | None = Field(default=None, description=RISK_LEVEL_FIELD)
    status: str
    supervising_department: str | None = None
    registered_on: str | None = Field(
        default=None, description="The day the enterprise entered the registry (YYYY-MM-DD); stock counts start on it."
    )


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
    risk_level: str | None = Field(default=None, description=RISK_LEVEL_FIELD)
    status: str
    supervising_department: str | None = None
    registered_on: str | None = Field(
        default=None, description="The day the enterprise entered the registry (YYYY-MM-DD); stock counts start on it."
    )


@event("enterprise.status_changed", 1, aggregate=ENTERPRISE, topic=SUPERVISOR_EVENTS)
class EnterpriseStatusChangedV1(EventPayload):
    """An enterprise started, suspended or stopped operating."""

    enterprise_id: str
    previous_status: str
    status: str
    reason: str | None = None
    township_code: str | None = None
    industry_code: str | None = None


class SupervisorSnapshot(EventPayload):
    """The full state of a resident supervisor (派驻监督员)."""

    supervisor_id: str
    code: str
    name: str
    org_kind: str
    org_code: str
    org_name: str | None = None
    township_code: str | None = None
    position: str | None = None
    phone: str | None = None
    active: bool
    appointed_on: str | None = Field(
        default=None, description="The day the supervisor took office (YYYY-MM-DD); stock counts start on it."
    )


@event("supervisor.registered", 1, aggregate=SUPERVISOR, topic=SUPERVISOR_EVENTS)
class SupervisorRegisteredV1(SupervisorSnapshot):
    """A resident supervisor was registered. org_kind: department | township."""


@event("supervisor.updated", 1, aggregate=SUPERVISOR, topic=SUPERVISOR_EVENTS)
class SupervisorUpdatedV1(SupervisorSnapshot):
    """A supervisor's details or active flag changed; carries the full new state."""


class AssignmentSnapshot(EventPayload):
    """An assignment of a supervisor to an enterprise, with what consumers need to count coverage."""

    assignment_id: str
    supervisor_id: str
    supervisor_name: str
    supervisor_org_kind: str
    supervisor_org_code: str
    enterprise_id: str
    enterprise_name: str
    township_code: str
    industry_code: str
    employee_count: int
    supervising_department: str | None = None
    start_date: str
    end_date: str | None = None
    end_reason: str | None = None


@event("assignment.started", 1, aggregate=ASSIGNMENT, topic=SUPERVISOR_EVENTS)
class AssignmentStartedV1(AssignmentSnapshot):
    """A supervisor became the active resident supervisor of an enterprise."""


@event("assignment.ended", 1, aggregate=ASSIGNMENT, topic=SUPERVISOR_EVENTS)
class AssignmentEndedV1(AssignmentSnapshot):
    """An assignment ended (reassignment, supervisor left, enterprise closed ...); history is kept."""


class VisitFinding(BaseModel):
    """One finding of a visit, as listed in visit.logged."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    finding_id: str
    description: str
    grade_suggestion: str
    location: str | None = None
    photo_refs: list[str] = Field(default_factory=list)
    clause_code: str | None = None


@event("visit.logged", 1, aggregate=VISIT, topic=SUPERVISOR_EVENTS)
class VisitLoggedV1(EventPayload):
    """A supervisor recorded a visit to an enterprise (each finding also has its own event)."""

    visit_id: str
    supervisor_id: str
    enterprise_id: str
    township_code: str
    industry_code: str
    visited_on: str
    checked_items: list[str] = Field(default_factory=list)
    summary: str | None = None
    findings: list[VisitFinding] = Field(default_factory=list)


@event("visit.finding_recorded", 1, aggregate=VISIT, topic=SUPERVISOR_EVENTS)
class VisitFindingRecordedV1(EventPayload):
    """A supervisor found a problem during a visit; the hazard service registers it as a hazard
    (source resident_supervisor) exactly once per finding_id. grade_suggestion: general | major."""

    finding_id: str
    visit_id: str
    enterprise_id: str
    enterprise_name: str
    credit_code: str
    township_code: str
    industry_code: str
    supervisor_id: str
    supervisor_name: str
    found_on: str
    description: str
    grade_suggestion: str
    location: str | None = None
    photo_refs: list[str] = Field(default_factory=list)
    clause_code: str | None = None
    source: str = "resident_supervisor"
