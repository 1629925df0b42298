"""HTTP routes of the supervisor registry."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from shared.http.concurrency import with_etag
from shared.http.dependencies import IfMatch, ReadSession, UoW
from shared.http.pagination import Page
from supervisor_service.access import Manager, ReaderScope
from supervisor_service.listing import Paging
from supervisor_service.supervisors import service
from supervisor_service.supervisors.schemas import SupervisorCreate, SupervisorFilters, SupervisorRead, SupervisorUpdate

router = APIRouter(prefix="/api/v1/supervisors", tags=["supervisors"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SupervisorRead, summary="Register a supervisor")
async def register_supervisor(body: SupervisorCreate, response: Response, uow: UoW, actor: Manager) -> SupervisorRead:
    """Register a resident supervisor of your department or township; publishes supervisor.registered."""
    supervisor = await service.register_supervisor(uow=uow, actor=actor, data=body)
    response.headers["Location"] = f"{router.prefix}/{supervisor.id}"
    return with_etag(supervisor, response)


@router.get("", response_model=Page[SupervisorRead], summary="List supervisors")
async def list_supervisors(
    filters: Annotated[SupervisorFilters, Query()], page: Paging, session: ReadSession, scope: ReaderScope
) -> Page[SupervisorRead]:
    """Supervisors you may see, ordered by name."""
    return await service.list_supervisors(session=session, scope=scope, filters=filters, page=page)


@router.get("/{supervisor_id}", response_model=SupervisorRead, summary="Get a supervisor")
async def get_supervisor(
    supervisor_id: uuid.UUID, response: Response, session: ReadSession, scope: ReaderScope
) -> SupervisorRead:
    """One supervisor (404 outside your scope)."""
    supervisor = await service.get_supervisor(session=session, scope=scope, supervisor_id=supervisor_id)
    return with_etag(supervisor, response)


@router.patch("/{supervisor_id}", response_model=SupervisorRead, summary="Change or deactivate a supervisor")
async def update_supervisor(
    supervisor_id: uuid.UUID,
    body: SupervisorUpdate,
    response: Response,
    uow: UoW,
    actor: Manager,
    if_match: IfMatch = None,
) -> SupervisorRead:
    """Change details or the active flag; a stale If-Match is a 409. Publishes supervisor.updated."""
    supervisor = await service.update_supervisor(
        uow=uow, actor=actor, supervisor_id=supervisor_id, data=body, if_match=if_match
    )
    return with_etag(supervisor, response)
