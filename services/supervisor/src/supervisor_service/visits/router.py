"""HTTP routes of visit logs and supervisor activity."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.http.dependencies import ReadSession, UoW
from shared.http.pagination import Page
from supervisor_service.access import ReaderScope
from supervisor_service.dependencies import CurrentRules
from supervisor_service.listing import Paging
from supervisor_service.visits import service
from supervisor_service.visits.schemas import InactiveSupervisors, QuarterlyReport, VisitCreate, VisitFilters, VisitRead

router = APIRouter(prefix="/api/v1", tags=["visits"])

ResidentSupervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR))]


@router.post("/visits", status_code=status.HTTP_201_CREATED, response_model=VisitRead, summary="Log a visit")
async def log_visit(body: VisitCreate, uow: UoW, actor: ResidentSupervisor) -> VisitRead:
    """A supervisor logs a visit to one of their enterprises; each finding is published
    (visit.finding_recorded) for the hazard service to register as a hazard."""
    return await service.log_visit(uow=uow, actor=actor, data=body)


@router.get("/visits", response_model=Page[VisitRead], summary="List visits")
async def list_visits(
    filters: Annotated[VisitFilters, Query()], page: Paging, session: ReadSession, scope: ReaderScope
) -> Page[VisitRead]:
    """Visits to enterprises in your scope (and your own, as a supervisor), newest first."""
    return await service.list_visits(session=session, scope=scope, filters=filters, page=page)


@router.get("/visits/{visit_id}", response_model=VisitRead, summary="Get a visit")
async def get_visit(visit_id: uuid.UUID, session: ReadSession, scope: ReaderScope) -> VisitRead:
    """One visit with its findings (404 outside your scope)."""
    return await service.get_visit(session=session, scope=scope, visit_id=visit_id)


@router.get("/supervisors/inactive", response_model=InactiveSupervisors, summary="Supervisors with no recent visit")
async def inactive_supervisors(
    session: ReadSession,
    scope: ReaderScope,
    rules: CurrentRules,
    days: int | None = Query(None, ge=1, le=3650, description="Defaults to the rule in force (30 days)."),
    limit: int = Query(500, ge=1, le=5000),
) -> InactiveSupervisors:
    """Active supervisors with enterprises but no visit in `days` days, stalest first (for the named call-out)."""
    return await service.inactive_supervisors(session=session, scope=scope, rules=rules, days=days, limit=limit)


@router.get("/supervisors/{supervisor_id}/quarterly-report", response_model=QuarterlyReport, summary="Quarterly report")
async def quarterly_report(
    supervisor_id: uuid.UUID,
    session: ReadSession,
    scope: ReaderScope,
    year: int = Query(ge=2000, le=2100),
    quarter: int = Query(ge=1, le=4),
) -> QuarterlyReport:
    """Enterprises, visits and findings of a supervisor in a calendar quarter."""
    return await service.quarterly_report(
        session=session, scope=scope, supervisor_id=supervisor_id, year=year, quarter=quarter
    )
