"""HTTP routes of delegations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Header, Response, status

from enforcement_service.access import PLANNERS, READERS
from enforcement_service.delegations import service
from enforcement_service.delegations.schemas import DelegationCreate, DelegationRead, DelegationRevoke
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow

router = APIRouter(prefix="/api/v1/delegations", tags=["delegations"])
GRANTORS = (*PLANNERS, Role.DEPARTMENT_OFFICER)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DelegationRead, summary="Grant a delegation")
async def grant_delegation(
    body: DelegationCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*GRANTORS)),
) -> DelegationRead:
    """Record the bureau's published delegation to a township; publishes delegation.granted."""
    delegation = await service.grant_delegation(uow=uow, data=body)
    response.headers["ETag"] = etag(delegation.version)
    return DelegationRead.model_validate(delegation)


@router.get("", response_model=list[DelegationRead], summary="List delegations")
async def list_delegations(
    uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(require_roles(*READERS))
) -> list[DelegationRead]:
    """Delegations of the townships in the caller's jurisdiction (a short list: one per township and term)."""
    return [DelegationRead.model_validate(d) for d in await service.list_delegations(uow=uow)]


@router.get("/{delegation_id}", response_model=DelegationRead, summary="Get a delegation")
async def get_delegation(
    delegation_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> DelegationRead:
    """One delegation."""
    delegation = await service.get_delegation(uow=uow, delegation_id=delegation_id)
    response.headers["ETag"] = etag(delegation.version)
    return DelegationRead.model_validate(delegation)


@router.post("/{delegation_id}/revocation", response_model=DelegationRead, summary="Revoke a delegation")
async def revoke_delegation(
    delegation_id: uuid.UUID,
    body: DelegationRevoke,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*GRANTORS)),
) -> DelegationRead:
    """Revoke a delegation; publishes delegation.revoked."""
    delegation = await service.revoke_delegation(uow=uow, delegation_id=delegation_id, data=body, if_match=if_match)
    response.headers["ETag"] = etag(delegation.version)
    return DelegationRead.model_validate(delegation)
