"""Apply the supervisor service's enterprise events to the local read model."""

from __future__ import annotations

import uuid

from enforcement_service.enterprises import repository
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.supervisor import EnterpriseRegisteredV1, EnterpriseStatusChangedV1, EnterpriseUpdatedV1
from shared.db import UnitOfWork


async def apply_enterprise_snapshot(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """enterprise.registered / enterprise.updated: store the full state if it is newer."""
    assert isinstance(payload, EnterpriseRegisteredV1 | EnterpriseUpdatedV1)
    await repository.upsert_if_newer(
        uow.session,
        {
            "enterprise_id": uuid.UUID(payload.enterprise_id),
            "name": payload.name,
            "credit_code": payload.credit_code,
            "industry_code": payload.industry_code,
            "township_code": payload.township_code,
            "status": payload.status,
            "aggregate_version": envelope.aggregate_version,
        },
    )


async def apply_enterprise_status_changed(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """enterprise.status_changed: update the status if the event is newer."""
    assert isinstance(payload, EnterpriseStatusChangedV1)
    await repository.set_status_if_newer(
        uow.session, uuid.UUID(payload.enterprise_id), payload.status, envelope.aggregate_version
    )


HANDLERS = {
    "enterprise.registered": apply_enterprise_snapshot,
    "enterprise.updated": apply_enterprise_snapshot,
    "enterprise.status_changed": apply_enterprise_status_changed,
}
