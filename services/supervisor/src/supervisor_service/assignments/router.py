"""HTTP routes of assignments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from shared.http.concurrency import with_etag
from shared.http.dependencies import IfMatch, ReadSession, UoW
from shared.http.pagination import Page
from supervisor_service.access import Manager, ReaderScope
from supervisor_service.assignments import service
from supervisor_service.assignments.schemas import (
    ASSIGNMENT_ROWS,
    AssignmentCreate,
    AssignmentEnd,
    AssignmentFilters,
    AssignmentRead,
)
from supervisor_service.dependencies import CurrentRules
from supervisor_service.listing import Paging

router = APIRouter(prefix="/api/v1/assignments", tags=["assignments"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=list[AssignmentRead], summary="Assign a supervisor"
)
async def assign_supervisor(
    body: AssignmentCreate, uow: UoW, actor: Manager, rules: CurrentRules
) -> list[AssignmentRead]:
    """Make a supervisor resident at one or more enterprises (all or none); 409 if one is already covered
    (unless replace_current) or the supervisor would exceed the maximum. Publishes assignment.started."""
    return await service.assign_supervisor(uow=uow, actor=actor, data=body, rules=rules)


@router.get("", response_model=Page[AssignmentRead], summary="List assignments, current and past")
async def list_assignments(
    filters: Annotated[AssignmentFilters, Query()], page: Paging, session: ReadSession, scope: ReaderScope
) -> Response:
    """Assignment history of enterprises in your scope, ordered by start date."""
    rows, cursor, total = await service.list_assignments(session=session, scope=scope, filters=filters, page=page)
    return ASSIGNMENT_ROWS.page(rows, next_cursor=cursor, total=total)


@router.get("/{assignment_id}", response_model=AssignmentRead, summary="Get an assignment")
async def get_assignment(
    assignment_id: uuid.UUID, response: Response, session: ReadSession, scope: ReaderScope
) -> AssignmentRead:
    """One assignment (404 outside your scope)."""
    assignment = await service.get_assignment(session=session, scope=scope, assignment_id=assignment_id)
    return with_etag(assignment, response)


@router.post("/{assignment_id}/end", response_model=AssignmentRead, summary="End an assignment")
async def end_assignment(
    assignment_id: uuid.UUID,
    response: Response,
    uow: UoW,
    actor: Manager,
    if_match: IfMatch = None,
    body: AssignmentEnd | None = None,
) -> AssignmentRead:
    """End an active assignment; it stays in the history. Publishes assignment.ended."""
    assignment = await service.end_assignment(
        uow=uow, actor=actor, assignment_id=assignment_id, data=body or AssignmentEnd(), if_match=if_match
    )
    return with_etag(assignment, response)
