"""Use cases of hazards."""

from __future__ import annotations

import uuid

from hazard_service.enterprises import repository as enterprises
from hazard_service.hazards.models import Hazard
from hazard_service.hazards.schemas import HazardCreate
from shared.contracts.hazard import HazardReportedV1
from shared.db import UnitOfWork
from shared.errors import ValidationFailed, field_error


async def report_hazard(*, uow: UnitOfWork, data: HazardCreate) -> Hazard:
    """Enter a hazard found in a known enterprise and publish hazard.reported."""
    async with uow:
        enterprise = await enterprises.get(uow.session, data.enterprise_id)
        if enterprise is None or (uow.actor is not None and not uow.actor.covers(enterprise.township_code)):
            raise ValidationFailed(
                "unknown enterprise",
                errors=[field_error("enterprise_id", "no such enterprise in your jurisdiction")],
            )
        hazard = Hazard(
            id=uuid.uuid4(),
            enterprise_id=enterprise.enterprise_id,
            township_code=enterprise.township_code,
            industry_code=enterprise.industry_code,
            grade=data.grade.value,
            source=data.source.value,
            description=data.description,
            status="reported",
            reported_on=data.reported_on,
        )
        uow.session.add(hazard)
        await uow.session.flush()
        uow.record(
            HazardReportedV1(
                hazard_id=str(hazard.id),
                enterprise_id=str(hazard.enterprise_id),
                township_code=hazard.township_code,
                industry_code=hazard.industry_code,
                grade=hazard.grade,
                source=hazard.source,
                description=hazard.description,
                reported_on=hazard.reported_on.isoformat(),
            ),
            aggregate_id=str(hazard.id),
            aggregate_version=hazard.version,
            jurisdiction=hazard.township_code,
        )
        await uow.commit()
        return hazard
