"""HTTP routes of the supervisor registry."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import Page, PageParams, page_params
from supervisor_service.access import MANAGERS, READERS
from supervisor_service.supervisors import service
from supervisor_service.supervisors.schemas import SupervisorCreate, SupervisorFilters, SupervisorRead, SupervisorUpdate

router = APIRouter(prefix="/api/v1/supervisors", tags=["supervisors"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SupervisorRead, summary="Register a supervisor")
async def register_supervisor(
    body: SupervisorCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> SupervisorRead:
    """Register a resident supervisor of your department or township; publishes supervisor.registered."""
    supervisor = await service.register_supervisor(uow=uow, data=body)
    response.headers["ETag"] = etag(supervisor.version)
    response.headers["Location"] = f"{router.prefix}/{supervisor.id}"
    return supervisor


@router.get("", response_model=Page[SupervisorRead], summary="List supervisors")
async def list_supervisors(
    filters: Annotated[SupervisorFilters, Query()],
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> Page[SupervisorRead]:
    """Supervisors you may see, ordered by name."""
    return await service.list_supervisors(uow=uow, filters=filters, page=page)


@router.get("/{supervisor_id}", response_model=SupervisorRead, summary="Get a supervisor")
async def get_supervisor(
    supervisor_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> SupervisorRead:
    """One supervisor (404 outside your scope)."""
    supervisor = await service.get_supervisor(uow=uow, supervisor_id=supervisor_id)
    response.headers["ETag"] = etag(supervisor.version)
    return supervisor


@router.patch("/{supervisor_id}", response_model=SupervisorRead, summary="Change or deactivate a supervisor")
async def update_supervisor(
    supervisor_id: uuid.UUID,
    body: SupervisorUpdate,
    response: Response,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> SupervisorRead:
    """Change details or the active flag; a stale If-Match is a 409. Publishes supervisor.updated."""
    supervisor = await service.update_supervisor(uow=uow, supervisor_id=supervisor_id, data=body, if_match=if_match)
    response.headers["ETag"] = etag(supervisor.version)
    return supervisor
