"""HTTP routes of inspections."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Response, status

from enforcement_service.access import Writer
from enforcement_service.http import CurrentRead, answer
from enforcement_service.inspections import service
from enforcement_service.inspections.repository import InspectionFilter
from enforcement_service.inspections.schemas import (
    INSPECTION_ROWS,
    FindingRead,
    InspectionCreate,
    InspectionDetail,
    InspectionKind,
    InspectionPage,
    InspectionRead,
)
from shared.http.dependencies import UoW
from shared.http.pagination import PageParams, UpdatedSince, page_params

router = APIRouter(prefix="/api/v1/inspections", tags=["inspections"])


def _answer(result: service.InspectionWithFindings, response: Response) -> InspectionDetail:
    base = answer(InspectionRead, result.inspection, response)
    return InspectionDetail(**base.model_dump(), findings=[FindingRead.model_validate(f) for f in result.findings])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=InspectionDetail, summary="Record an inspection")
async def record_inspection(body: InspectionCreate, response: Response, uow: UoW, actor: Writer) -> InspectionDetail:
    """Record an inspection, its team, the enterprises checked and the findings; publishes
    inspection.recorded and inspection.finding_recorded (each finding becomes a hazard)."""
    return _answer(await service.record_inspection(uow=uow, actor=actor, data=body), response)


@router.get("", response_model=InspectionPage, summary="List inspections")
async def list_inspections(
    read: CurrentRead,
    kind: InspectionKind | None = None,
    unit_code: str | None = Query(None, max_length=32),
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    inspected_from: date | None = None,
    inspected_to: date | None = None,
    page: PageParams = Depends(page_params),
    updated_since: UpdatedSince = None,
) -> Response:
    """Inspections in the caller's jurisdiction, newest first, or the change feed."""
    filters = InspectionFilter(
        kind=kind.value if kind else None,
        unit_code=unit_code,
        township_code=township_code,
        inspected_from=inspected_from,
        inspected_to=inspected_to,
        updated_since=updated_since,
    )
    rows, next_cursor, total = await service.list_inspections(**read.reads, filters=filters, page=page)
    return INSPECTION_ROWS.page(rows, next_cursor=next_cursor, total=total)


@router.get("/{inspection_id}", response_model=InspectionDetail, summary="Get an inspection")
async def get_inspection(inspection_id: uuid.UUID, response: Response, read: CurrentRead) -> InspectionDetail:
    """One inspection with its findings."""
    return _answer(await service.get_inspection(**read.reads, inspection_id=inspection_id), response)
