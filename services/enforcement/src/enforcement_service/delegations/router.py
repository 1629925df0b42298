"""HTTP routes of delegations."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Header, Query, Response, status

from enforcement_service.access import READERS, settings_of
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations import service
from enforcement_service.delegations.repository import DelegationFilter
from enforcement_service.delegations.schemas import DelegationCreate, DelegationPage, DelegationRead, DelegationRevoke
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/delegations", tags=["delegations"])
# A department officer passes this gate; the service admits only the bureau's own officers.
GRANTORS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DelegationRead, summary="Grant a delegation")
async def grant_delegation(
    body: DelegationCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    _: Principal = Depends(require_roles(*GRANTORS)),
) -> DelegationRead:
    """Record the bureau's published delegation to a township within the caller's jurisdiction (the city
    administration or the bureau's officers only; 403 with the reason otherwise); publishes delegation.granted."""
    delegation = await service.grant_delegation(uow=uow, settings=settings, data=body)
    response.headers["ETag"] = etag(delegation.version)
    return DelegationRead.model_validate(delegation)


@router.get("", response_model=DelegationPage, summary="List delegations")
async def list_delegations(
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    in_force_on: date | None = Query(None, description="Only delegations in force on this day (term, not revoked)."),
    revoked: bool | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> DelegationPage:
    """Delegations of the townships in the caller's jurisdiction, latest term start first (keyset pagination)."""
    filters = DelegationFilter(township_code=township_code, in_force_on=in_force_on, revoked=revoked)
    rows, next_cursor, total = await service.list_delegations(uow=uow, filters=filters, page=page)
    return DelegationPage(items=[DelegationRead.model_validate(d) for d in rows], next_cursor=next_cursor, total=total)


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
    settings: EnforcementSettings = Depends(settings_of),
    _: Principal = Depends(require_roles(*GRANTORS)),
) -> DelegationRead:
    """Revoke a delegation from a day on (the city administration or the bureau's officers only); the
    township may act under it no more from that day; publishes delegation.revoked."""
    delegation = await service.revoke_delegation(
        uow=uow, settings=settings, delegation_id=delegation_id, data=body, if_match=if_match
    )
    response.headers["ETag"] = etag(delegation.version)
    return DelegationRead.model_validate(delegation)
