"""HTTP routes of reference data."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.dependencies import get_uow
from supervisor_service.access import READERS
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


@router.get("/datasets", response_model=list[DatasetRead], summary="Imported reference data versions")
async def list_datasets(
    uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(require_roles(*READERS))
) -> list[DatasetRead]:
    """Every imported version of each kind."""
    async with uow:
        return [DatasetRead.model_validate(d) for d in await repository.list_datasets(uow.session)]


@router.post("/{kind}", response_model=ImportOutcome, summary="Import a reference data version")
async def import_reference_data(
    kind: Literal["jurisdictions", "departments", "industries"],
    body: ReferenceDocument,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(Role.CITY_ADMIN)),
) -> ImportOutcome:
    """Import a version (same shape as the bundled JSON); re-importing the same version changes nothing,
    codes missing from the new version are retired, never deleted."""
    return await service.import_reference_data(uow=uow, kind=kind, document=body)


@router.get("/jurisdictions", response_model=list[JurisdictionRead], summary="Jurisdiction tree")
async def list_jurisdictions(
    level: Literal["city", "township", "village"] | None = Query(None),
    parent_code: str | None = Query(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> list[JurisdictionRead]:
    """Current city, townships and villages with their division codes."""
    async with uow:
        rows = await repository.list_jurisdictions(uow.session, level=level, parent_code=parent_code)
        return [JurisdictionRead.model_validate(j) for j in rows]


@router.get("/departments", response_model=list[DepartmentRead], summary="Departments and their industries")
async def list_departments(
    uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(require_roles(*READERS))
) -> list[DepartmentRead]:
    """Current departments with the GB/T 4754 codes each supervises."""
    async with uow:
        return [DepartmentRead.model_validate(d) for d in await repository.list_departments(uow.session)]


@router.get("/industries", response_model=list[IndustryRead], summary="GB/T 4754 sections and divisions")
async def list_industries(
    uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(require_roles(*READERS))
) -> list[IndustryRead]:
    """Current industry sections and divisions."""
    async with uow:
        return [IndustryRead.model_validate(i) for i in await repository.list_industries(uow.session)]
