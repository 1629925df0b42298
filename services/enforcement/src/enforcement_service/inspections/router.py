"""HTTP routes of inspections."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from enforcement_service.inspections import service
from enforcement_service.inspections.schemas import InspectionCreate, InspectionRead
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.dependencies import get_uow

router = APIRouter(prefix="/api/v1/inspections", tags=["inspections"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=InspectionRead, summary="Record an inspection")
async def record_inspection(
    body: InspectionCreate,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER)),
) -> InspectionRead:
    """Record an inspection; publishes inspection.recorded."""
    return InspectionRead.model_validate(await service.record_inspection(uow=uow, data=body))
