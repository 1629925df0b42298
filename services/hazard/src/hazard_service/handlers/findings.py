"""Turn findings of other services into hazards, exactly once per finding."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from hazard_service.config import HazardSettings
from hazard_service.hazards.creation import FindingIntake, register_finding
from shared.auth.principal import Principal, system_principal
from shared.contracts.enforcement import InspectionFindingRecordedV1
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.supervisor import VisitFindingRecordedV1
from shared.db import UnitOfWork

Handler = Callable[[UnitOfWork, EventEnvelope, EventPayload], Awaitable[None]]

INSPECTION_SOURCES = {"department_inspection", "leader_inspection", "complaint", "referral"}


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def visit_finding(payload: EventPayload) -> FindingIntake:
    """visit.finding_recorded -> a hazard from a resident supervisor (key: the finding id)."""
    assert isinstance(payload, VisitFindingRecordedV1)
    return FindingIntake(
        reference=f"supervisor.visit_finding:{payload.finding_id}",
        enterprise_id=uuid.UUID(payload.enterprise_id),
        enterprise_name=payload.enterprise_name,
        township_code=payload.township_code,
        industry_code=payload.industry_code,
        department_code=None,
        grade=payload.grade_suggestion,
        source="resident_supervisor",
        description=payload.description,
        found_on=date.fromisoformat(payload.found_on),
        location=payload.location,
        reporter_name=payload.supervisor_name,
        reporting_unit="派驻监督员",
        campaign_codes=[],
        deadline=None,
    )


def inspection_finding(payload: EventPayload) -> FindingIntake:
    """inspection.finding_recorded -> a hazard from an inspection (key: the finding id)."""
    assert isinstance(payload, InspectionFindingRecordedV1)
    return FindingIntake(
        reference=f"enforcement.inspection_finding:{payload.finding_id}",
        enterprise_id=uuid.UUID(payload.enterprise_id),
        enterprise_name=None,
        township_code=payload.township_code,
        industry_code=payload.industry_code,
        department_code=payload.unit_code if payload.unit_type == "department" else None,
        grade=payload.grade_suggestion,
        source=payload.source if payload.source in INSPECTION_SOURCES else "department_inspection",
        description=payload.description,
        found_on=date.fromisoformat(payload.found_on),
        location=None,
        reporter_name=payload.leader_name,
        reporting_unit=payload.unit_code,
        campaign_codes=[payload.campaign_code] if payload.campaign_code else [],
        deadline=_date_or_none(payload.rectify_by),
    )


def _registering(
    settings: HazardSettings, actor: Principal, intake: Callable[[EventPayload], FindingIntake]
) -> Handler:
    async def handle(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
        await register_finding(uow=uow, actor=actor, settings=settings, finding=intake(payload))

    return handle


def handlers(settings: HazardSettings) -> dict[str, Handler]:
    """Finding handlers by event type; the hazards they register are reported by the service itself."""
    actor = system_principal(settings.service_name)
    return {
        "visit.finding_recorded": _registering(settings, actor, visit_finding),
        "inspection.finding_recorded": _registering(settings, actor, inspection_finding),
    }
