"""HTTP routes of the enterprise registry."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response, status

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from supervisor_service.enterprises import service
from supervisor_service.enterprises.schemas import EnterpriseCreate, EnterpriseRead

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])

MANAGERS = (Role.CITY_ADMIN, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)
READERS = (*MANAGERS, Role.LEADER, Role.SUPERVISOR, Role.ENTERPRISE, Role.INTEGRATION)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EnterpriseRead, summary="Register an enterprise")
async def register_enterprise(
    body: EnterpriseCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """Register an enterprise; publishes enterprise.registered."""
    enterprise = await service.register_enterprise(uow=uow, data=body)
    response.headers["ETag"] = etag(enterprise.version)
    response.headers["Location"] = f"{router.prefix}/{enterprise.id}"
    return EnterpriseRead.model_validate(enterprise)


@router.get("/{enterprise_id}", response_model=EnterpriseRead, summary="Get an enterprise")
async def get_enterprise(
    enterprise_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    principal: Principal = Depends(require_roles(*READERS)),
) -> EnterpriseRead:
    """One enterprise in the caller's jurisdiction."""
    enterprise = await service.get_enterprise(uow=uow, principal=principal, enterprise_id=enterprise_id)
    response.headers["ETag"] = etag(enterprise.version)
    return EnterpriseRead.model_validate(enterprise)
