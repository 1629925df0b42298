"""HTTP routes of case leads."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Header, Query, Response

from enforcement_service.access import READERS, WRITERS
from enforcement_service.leads import service
from enforcement_service.leads.domain import LeadStatus
from enforcement_service.leads.schemas import LeadAccept, LeadDismiss, LeadPage, LeadRead
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/case-leads", tags=["case leads"])


@router.get("", response_model=LeadPage, summary="List case leads")
async def list_leads(
    status: LeadStatus | None = None,
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> LeadPage:
    """Leads in the caller's jurisdiction, newest first."""
    rows, cursor = await service.list_leads(uow=uow, status=status, township_code=township_code, page=page)
    return LeadPage(items=[LeadRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{lead_id}", response_model=LeadRead, summary="Get a case lead")
async def get_lead(
    lead_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> LeadRead:
    """One lead."""
    lead = await service.get_lead(uow=uow, lead_id=lead_id)
    response.headers["ETag"] = etag(lead.version)
    return LeadRead.model_validate(lead)


@router.post("/{lead_id}/acceptance", response_model=LeadRead, summary="Accept a lead")
async def accept_lead(
    lead_id: uuid.UUID,
    body: LeadAccept,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*WRITERS)),
) -> LeadRead:
    """Accept a lead; a case may then be filed with source `lead` and this lead_id."""
    lead = await service.accept_lead(uow=uow, lead_id=lead_id, data=body, if_match=if_match)
    response.headers["ETag"] = etag(lead.version)
    return LeadRead.model_validate(lead)


@router.post("/{lead_id}/dismissal", response_model=LeadRead, summary="Dismiss a lead with a reason")
async def dismiss_lead(
    lead_id: uuid.UUID,
    body: LeadDismiss,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*WRITERS)),
) -> LeadRead:
    """Dismiss a lead, giving the reason."""
    lead = await service.dismiss_lead(uow=uow, lead_id=lead_id, data=body, if_match=if_match)
    response.headers["ETag"] = etag(lead.version)
    return LeadRead.model_validate(lead)
