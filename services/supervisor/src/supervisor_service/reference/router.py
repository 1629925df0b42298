"""HTTP routes of reference data."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.http.dependencies import ReadSession, UoW
from shared.http.pagination import Page
from supervisor_service.access import Reader
from supervisor_service.reference import repository, service
from supervisor_service.reference.schemas import (
    DatasetRead,
    DepartmentRead,
    ImportOutcome,
    IndustryRead,
    JurisdictionRead,
    ReferenceDocument,
)

router = APIRouter(prefix="/api/v1/reference", tags=["reference data"])

CityAdmin = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN))]


@router.get("/datasets", response_model=Page[DatasetRead], summary="Imported reference data versions")
async def list_datasets(session: ReadSession, _: Reader) -> Page[DatasetRead]:
    """Every imported version of each kind, in one page."""
    return Page[DatasetRead].whole(DatasetRead.model_validate(d) for d in await repository.list_datasets(session))


@router.post("/{kind}", response_model=ImportOutcome, summary="Import a reference data version")
async def import_reference_data(
    kind: Literal["jurisdictions", "departments", "industries"], body: ReferenceDocument, uow: UoW, _: CityAdmin
) -> ImportOutcome:
    """Import a version (same shape as the bundled JSON); re-importing the same version changes nothing,
    codes missing from the new version are retired, never deleted."""
    return await service.import_reference_data(uow=uow, kind=kind, document=body)


@router.get("/jurisdictions", response_model=Page[JurisdictionRead], summary="Jurisdiction tree")
async def list_jurisdictions(
    session: ReadSession,
    _: Reader,
    level: Literal["city", "township", "village"] | None = Query(None),
    parent_code: str | None = Query(None),
) -> Page[JurisdictionRead]:
    """Current city, townships and villages with their division codes, in one page."""
    rows = await repository.list_jurisdictions(session, level=level, parent_code=parent_code)
    return Page[JurisdictionRead].whole(JurisdictionRead.model_validate(j) for j in rows)


@router.get("/departments", response_model=Page[DepartmentRead], summary="Departments and their industries")
async def list_departments(session: ReadSession, _: Reader) -> Page[DepartmentRead]:
    """Current departments with the GB/T 4754 codes each supervises, in one page."""
    rows = await repository.list_departments(session)
    return Page[DepartmentRead].whole(DepartmentRead.model_validate(d) for d in rows)


@router.get("/industries", response_model=Page[IndustryRead], summary="GB/T 4754 sections and divisions")
async def list_industries(session: ReadSession, _: Reader) -> Page[IndustryRead]:
    """Current industry sections and divisions, in one page."""
    rows = await repository.list_industries(session)
    return Page[IndustryRead].whole(IndustryRead.model_validate(i) for i in rows)
