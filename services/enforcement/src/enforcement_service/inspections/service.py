"""Use cases of inspections."""

from __future__ import annotations

import uuid

from enforcement_service.inspections.models import Inspection
from enforcement_service.inspections.schemas import InspectionCreate
from shared.contracts.enforcement import InspectionRecordedV1
from shared.db import UnitOfWork


async def record_inspection(*, uow: UnitOfWork, data: InspectionCreate) -> Inspection:
    """Record an inspection and publish inspection.recorded."""
    async with uow:
        inspection = Inspection(
            id=uuid.uuid4(),
            kind=data.kind.value,
            unit_code=data.unit_code,
            township_code=data.township_code,
            inspected_on=data.inspected_on,
            persons_deployed=data.persons_deployed,
            enterprise_ids=[str(e) for e in data.enterprise_ids],
        )
        uow.session.add(inspection)
        await uow.session.flush()
        uow.record(
            InspectionRecordedV1(
                inspection_id=str(inspection.id),
                kind=inspection.kind,
                unit_code=inspection.unit_code,
                township_code=inspection.township_code,
                inspected_on=inspection.inspected_on.isoformat(),
                persons_deployed=inspection.persons_deployed,
                enterprise_ids=inspection.enterprise_ids,
            ),
            aggregate_id=str(inspection.id),
            aggregate_version=inspection.version,
            jurisdiction=inspection.township_code,
        )
        await uow.commit()
        return inspection
