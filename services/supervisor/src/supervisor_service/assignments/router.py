"""HTTP routes of assignments."""

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
from supervisor_service.assignments import service
from supervisor_service.assignments.schemas import AssignmentCreate, AssignmentEnd, AssignmentFilters, AssignmentRead
from supervisor_service.dependencies import current_rules
from supervisor_service.rules import SupervisionRules

router = APIRouter(prefix="/api/v1/assignments", tags=["assignments"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=list[AssignmentRead], summary="Assign a supervisor"
)
async def assign_supervisor(
    body: AssignmentCreate,
    uow: UnitOfWork = Depends(get_uow),
    rules: SupervisionRules = Depends(current_rules),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> list[AssignmentRead]:
    """Make a supervisor resident at one or more enterprises (all or none); 409 if one is already covered
    (unless replace_current) or the supervisor would exceed the maximum. Publishes assignment.started."""
    return await service.assign_supervisor(uow=uow, data=body, rules=rules)


@router.get("", response_model=Page[AssignmentRead], summary="List assignments, current and past")
async def list_assignments(
    filters: Annotated[AssignmentFilters, Query()],
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> Page[AssignmentRead]:
    """Assignment history of enterprises in your scope, ordered by start date."""
    return await service.list_assignments(uow=uow, filters=filters, page=page)


@router.get("/{assignment_id}", response_model=AssignmentRead, summary="Get an assignment")
async def get_assignment(
    assignment_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> AssignmentRead:
    """One assignment (404 outside your scope)."""
    assignment = await service.get_assignment(uow=uow, assignment_id=assignment_id)
    response.headers["ETag"] = etag(assignment.version)
    return assignment


@router.post("/{assignment_id}/end", response_model=AssignmentRead, summary="End an assignment")
async def end_assignment(
    assignment_id: uuid.UUID,
    response: Response,
    body: AssignmentEnd | None = None,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> AssignmentRead:
    """End an active assignment; it stays in the history. Publishes assignment.ended."""
    assignment = await service.end_assignment(
        uow=uow, assignment_id=assignment_id, data=body or AssignmentEnd(), if_match=if_match
    )
    response.headers["ETag"] = etag(assignment.version)
    return assignment
