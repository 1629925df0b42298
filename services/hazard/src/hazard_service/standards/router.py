"""HTTP routes of judgment standards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hazard_service.standards import service
from hazard_service.standards.schemas import ClauseRead, ImportResult, StandardRead, StandardsDocument
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.http.dependencies import CurrentPrincipal, ReadSession, UoW
from shared.http.pagination import Page

router = APIRouter(prefix="/api/v1/hazard-standards", tags=["judgment standards"])
Administrator = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN))]


@router.get("", response_model=Page[StandardRead], summary="List imported judgment standards")
async def list_standards(session: ReadSession, _: CurrentPrincipal) -> Page[StandardRead]:
    """Every imported version of the 重大事故隐患判定标准 (all in one page)."""
    return Page[StandardRead].whole(
        StandardRead.model_validate(s) for s in await service.list_standards(session=session)
    )


@router.get("/{standard_code}/clauses", response_model=Page[ClauseRead], summary="Clauses of a standard")
async def list_clauses(
    standard_code: str,
    session: ReadSession,
    _: CurrentPrincipal,
    version: str | None = Query(None),
    industry: str | None = Query(None, description="GB/T 4754 code; returns clauses applying to it."),
) -> Page[ClauseRead]:
    """Clauses a major hazard may cite (all in one page)."""
    rows = await service.list_clauses(session=session, standard_code=standard_code, version=version, industry=industry)
    return Page[ClauseRead].whole(ClauseRead.model_validate(c) for c in rows)


@router.post("/import", response_model=ImportResult, summary="Import standards (format of hazard_standards.json)")
async def import_standards(body: StandardsDocument, uow: UoW, _: Administrator) -> ImportResult:
    """Add standard versions and clauses; existing versions are left as they are."""
    return await service.import_standards(uow=uow, document=body)


@router.post("/import-bundled", response_model=ImportResult, summary="Import the bundled reference standards")
async def import_bundled(uow: UoW, _: Administrator) -> ImportResult:
    """Import shared/reference_data/hazard_standards.json."""
    return await service.import_standards(uow=uow, document=service.bundled_document())
