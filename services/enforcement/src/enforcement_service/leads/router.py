"""HTTP routes of case leads."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response

from enforcement_service.http import CurrentAction, CurrentRead, answer
from enforcement_service.leads import service
from enforcement_service.leads.domain import LeadStatus
from enforcement_service.leads.schemas import LEAD_ROWS, LeadAccept, LeadDismiss, LeadPage, LeadRead
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/case-leads", tags=["case leads"])


@router.get("", response_model=LeadPage, summary="List case leads")
async def list_leads(
    read: CurrentRead,
    status: LeadStatus | None = None,
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    page: PageParams = Depends(page_params),
) -> Response:
    """Leads in the caller's jurisdiction, newest first."""
    rows, cursor, total = await service.list_leads(**read.reads, status=status, township_code=township_code, page=page)
    return LEAD_ROWS.page(rows, next_cursor=cursor, total=total)


@router.get("/{lead_id}", response_model=LeadRead, summary="Get a case lead")
async def get_lead(lead_id: uuid.UUID, response: Response, read: CurrentRead) -> LeadRead:
    """One lead."""
    return answer(LeadRead, await service.get_lead(**read.reads, lead_id=lead_id), response)


@router.post("/{lead_id}/acceptance", response_model=LeadRead, summary="Accept a lead")
async def accept_lead(lead_id: uuid.UUID, body: LeadAccept, act: CurrentAction) -> LeadRead:
    """Accept a lead; a case may then be filed with source `lead` and this lead_id."""
    return act.answer(LeadRead, await service.decide_lead(**act.writes, lead_id=lead_id, data=body))


@router.post("/{lead_id}/dismissal", response_model=LeadRead, summary="Dismiss a lead with a reason")
async def dismiss_lead(lead_id: uuid.UUID, body: LeadDismiss, act: CurrentAction) -> LeadRead:
    """Dismiss a lead, giving the reason."""
    return act.answer(LeadRead, await service.decide_lead(**act.writes, lead_id=lead_id, data=body))
