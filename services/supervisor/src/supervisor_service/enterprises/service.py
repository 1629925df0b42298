"""Use cases of the enterprise registry."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal
from shared.contracts.supervisor import EnterpriseRegisteredV1
from shared.db import UnitOfWork
from shared.errors import Forbidden
from supervisor_service.enterprises import repository
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.exceptions import DuplicateCreditCode, EnterpriseNotFound
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.schemas import EnterpriseCreate


def _registered_event(enterprise: Enterprise) -> EnterpriseRegisteredV1:
    return EnterpriseRegisteredV1(
        enterprise_id=str(enterprise.id),
        name=enterprise.name,
        credit_code=enterprise.credit_code,
        industry_code=enterprise.industry_code,
        township_code=enterprise.township_code,
        village_code=enterprise.village_code,
        address=enterprise.address,
        longitude=enterprise.longitude,
        latitude=enterprise.latitude,
        employee_count=enterprise.employee_count,
        high_risk=enterprise.high_risk,
        risk_level=enterprise.risk_level,
        status=enterprise.status,
    )


async def register_enterprise(*, uow: UnitOfWork, data: EnterpriseCreate) -> Enterprise:
    """Enter an enterprise in the registry and publish enterprise.registered."""
    actor = uow.actor
    if actor is not None and not actor.covers(data.township_code):
        raise Forbidden("the township is outside your jurisdiction")
    async with uow:
        if await repository.get_by_credit_code(uow.session, data.credit_code):
            raise DuplicateCreditCode(f"an enterprise with credit code {data.credit_code} is already registered")
        enterprise = Enterprise(id=uuid.uuid4(), status=EnterpriseStatus.OPERATING.value, **data.model_dump())
        uow.session.add(enterprise)
        await uow.session.flush()
        uow.record(
            _registered_event(enterprise),
            aggregate_id=str(enterprise.id),
            aggregate_version=enterprise.version,
            jurisdiction=enterprise.township_code,
        )
        await uow.commit()
        return enterprise


async def get_enterprise(*, uow: UnitOfWork, principal: Principal, enterprise_id: uuid.UUID) -> Enterprise:
    """One enterprise, if it lies in the caller's jurisdiction."""
    async with uow:
        enterprise = await repository.get(uow.session, enterprise_id)
        if enterprise is None or not principal.covers(enterprise.township_code):
            raise EnterpriseNotFound(f"enterprise {enterprise_id} not found")
        return enterprise
