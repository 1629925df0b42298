"""HTTP routes of hazards."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status

from hazard_service.hazards import service
from hazard_service.hazards.schemas import HazardCreate, HazardRead
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow

router = APIRouter(prefix="/api/v1/hazards", tags=["hazards"])

REPORTERS = (
    Role.CITY_ADMIN,
    Role.DEPARTMENT_OFFICER,
    Role.TOWNSHIP_OFFICER,
    Role.SUPERVISOR,
    Role.ENTERPRISE,
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=HazardRead, summary="Report a hazard")
async def report_hazard(
    body: HazardCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*REPORTERS)),
) -> HazardRead:
    """Report a hazard found in an enterprise; publishes hazard.reported."""
    hazard = await service.report_hazard(uow=uow, data=body)
    response.headers["ETag"] = etag(hazard.version)
    return HazardRead.model_validate(hazard)
