"""HTTP routes of delegations."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from enforcement_service.access import Settings
from enforcement_service.delegations import service
from enforcement_service.delegations.repository import DelegationFilter
from enforcement_service.delegations.schemas import (
    DELEGATION_ROWS,
    DelegationCreate,
    DelegationPage,
    DelegationRead,
    DelegationRevoke,
)
from enforcement_service.http import CurrentRead, answer
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.http.dependencies import IfMatch, UoW
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/delegations", tags=["delegations"])
# A department officer passes this gate; the service admits only the bureau's own officers.
GRANTORS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER)
Grantor = Annotated[Principal, Depends(require_roles(*GRANTORS))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DelegationRead, summary="Grant a delegation")
async def grant_delegation(
    body: DelegationCreate, response: Response, uow: UoW, settings: Settings, actor: Grantor
) -> DelegationRead:
    """Record the bureau's published delegation to a township within the caller's jurisdiction (the city
    administration or the bureau's officers only; 403 with the reason otherwise); publishes delegation.granted."""
    return answer(
        DelegationRead, await service.grant_delegation(uow=uow, actor=actor, settings=settings, data=body), response
    )


@router.get("", response_model=DelegationPage, summary="List delegations")
async def list_delegations(
    read: CurrentRead,
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    in_force_on: date | None = Query(None, description="Only delegations in force on this day (term, not revoked)."),
    revoked: bool | None = None,
    page: PageParams = Depends(page_params),
) -> Response:
    """Delegations of the townships in the caller's jurisdiction, latest term start first (keyset pagination)."""
    filters = DelegationFilter(township_code=township_code, in_force_on=in_force_on, revoked=revoked)
    rows, next_cursor, total = await service.list_delegations(**read.reads, filters=filters, page=page)
    return DELEGATION_ROWS.page(rows, next_cursor=next_cursor, total=total)


@router.get("/{delegation_id}", response_model=DelegationRead, summary="Get a delegation")
async def get_delegation(delegation_id: uuid.UUID, response: Response, read: CurrentRead) -> DelegationRead:
    """One delegation."""
    return answer(
        DelegationRead,
        await service.get_delegation(**read.reads, delegation_id=delegation_id),
        response,
    )


@router.post("/{delegation_id}/revocation", response_model=DelegationRead, summary="Revoke a delegation")
async def revoke_delegation(
    delegation_id: uuid.UUID,
    body: DelegationRevoke,
    response: Response,
    uow: UoW,
    settings: Settings,
    actor: Grantor,
    if_match: IfMatch = None,
) -> DelegationRead:
    """Revoke a delegation from a day on (the city administration or the bureau's officers only); the
    township may act under it no more from that day; publishes delegation.revoked."""
    delegation = await service.revoke_delegation(
        uow=uow, actor=actor, settings=settings, delegation_id=delegation_id, data=body, if_match=if_match
    )
    return answer(DelegationRead, delegation, response)
