"""Creating hazards: reported through the API, or registered from another service's finding. Both go
through `_create`, the service's busiest write: Core statements on the unit of work's own session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from hazard_service.config import HazardSettings
from hazard_service.enterprises import repository as enterprises
from hazard_service.hazards import repository as repo
from hazard_service.hazards.changes import Change, check_campaigns, iso, write
from hazard_service.hazards.domain import Grade
from hazard_service.hazards.models import Hazard
from hazard_service.hazards.schemas import HazardCreate, HazardSource
from hazard_service.reference import campaign_codes
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.contracts import hazard as events
from shared.db import UnitOfWork
from shared.errors import Forbidden, ValidationFailed, field_error


def _reported_fields(hazard: Hazard) -> dict[str, Any]:
    return {
        "description": hazard.description,
        "category": hazard.category,
        "location": hazard.location,
        "reporter_name": hazard.reporter_name,
        "reporting_unit": hazard.reporting_unit,
        "source_reference": hazard.source_reference,
        "funds_fen": hazard.funds_fen,
        "deadline": iso(hazard.rectification_deadline),
    }


async def _create(
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    values: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> Hazard:
    """Insert a reported hazard with the first entry of its timeline and its hazard.reported, and commit."""
    hazard = await repo.insert_hazard(uow.session, repo.new_hazard_values(reported_by=actor.subject, **values))
    change = Change("report", events.HazardReportedV1, _reported_fields(hazard), details=details)
    await write(uow, actor, settings, hazard, change, previous_status=None)
    return hazard


async def _ensure_supervises(uow: UnitOfWork, actor: Principal, enterprise_id: uuid.UUID, on: date) -> None:
    """A resident supervisor reports hazards only at an enterprise assigned to them on the day of the report."""
    assigned = actor.supervisor_id is not None and await enterprises.supervises(
        uow.session, supervisor_id=actor.supervisor_id, enterprise_id=enterprise_id, on=on
    )
    if not assigned:
        raise Forbidden(f"the enterprise is not assigned to this supervisor on {on.isoformat()}")


async def report_hazard(*, uow: UnitOfWork, actor: Principal, settings: HazardSettings, data: HazardCreate) -> Hazard:
    """Enter a hazard found in an enterprise the actor may see and publish hazard.reported."""
    async with uow:
        enterprise = await enterprises.reporting_facts(uow.session, data.enterprise_id)
        if enterprise is None or not Scope(actor).admits(
            division=enterprise.township_code, enterprise=enterprise.enterprise_id
        ):
            raise ValidationFailed(
                "unknown enterprise",
                errors=[field_error("enterprise_id", "no such enterprise in your jurisdiction")],
            )
        if actor.has_role(Role.SUPERVISOR) and not actor.sees_everything:
            await _ensure_supervises(uow, actor, enterprise.enterprise_id, data.reported_on)
        if actor.has_role(Role.ENTERPRISE) and not actor.sees_everything and data.source != HazardSource.SELF_REPORT:
            raise ValidationFailed(
                "an enterprise reports its own hazards", errors=[field_error("source", "must be self_report")]
            )
        if data.deadline is not None and data.deadline < data.reported_on:
            raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
        values = {
            "enterprise_id": enterprise.enterprise_id,
            "enterprise_name": enterprise.name,
            "township_code": enterprise.township_code,
            "industry_code": enterprise.industry_code,
            "department_code": data.department_code,
            "grade": data.grade.value,
            "source": data.source.value,
            "campaign_codes": check_campaigns(data.campaign_codes),
            "category": data.category,
            "location": data.location,
            "description": data.description,
            "reporter_name": data.reporter_name or actor.name,
            "reporting_unit": data.reporting_unit or actor.department,
            "reported_on": data.reported_on,
            "funds_fen": data.funds_fen,
            "rectification_deadline": data.deadline,
            "original_deadline": data.deadline,
        }
        return await _create(uow, actor, settings, values)


@dataclass(frozen=True)
class FindingIntake:
    """A finding of another service (supervisor visit or enforcement inspection) to register as a hazard."""

    reference: str
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    industry_code: str | None
    department_code: str | None
    grade: str
    source: str
    description: str
    found_on: date
    location: str | None
    reporter_name: str | None
    reporting_unit: str | None
    campaign_codes: list[str]
    deadline: date | None


async def register_finding(
    *, uow: UnitOfWork, actor: Principal, settings: HazardSettings, finding: FindingIntake
) -> Hazard | None:
    """Register a finding as a hazard once (unique source reference); None when it already exists.

    Runs inside the consumer's transaction, so its inbox row and the hazard commit together.
    """
    if await repo.get_by_source_reference(uow.session, finding.reference) is not None:
        return None
    enterprise = await enterprises.reporting_facts(uow.session, finding.enterprise_id)
    known_campaigns = campaign_codes()
    values = {
        "enterprise_id": finding.enterprise_id,
        "enterprise_name": enterprise.name if enterprise else finding.enterprise_name,
        "township_code": enterprise.township_code if enterprise else finding.township_code,
        "industry_code": (enterprise.industry_code if enterprise else None) or finding.industry_code,
        "department_code": finding.department_code,
        "grade": finding.grade if finding.grade in (Grade.GENERAL, Grade.MAJOR) else Grade.GENERAL.value,
        "source": finding.source,
        "source_reference": finding.reference,
        "campaign_codes": sorted({c for c in finding.campaign_codes if c in known_campaigns}),
        "description": finding.description,
        "location": finding.location,
        "reporter_name": finding.reporter_name,
        "reporting_unit": finding.reporting_unit,
        "reported_on": finding.found_on,
        "rectification_deadline": finding.deadline,
        "original_deadline": finding.deadline,
    }
    return await _create(uow, actor, settings, values, details={"source_reference": finding.reference})
