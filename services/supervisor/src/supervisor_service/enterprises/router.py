"""HTTP routes of the enterprise registry."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Query, Response, UploadFile, status

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import Page, PageParams, page_params
from supervisor_service.access import MANAGERS, READERS
from supervisor_service.config import SupervisorSettings
from supervisor_service.dependencies import service_settings
from supervisor_service.enterprises import service
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.importing import read_import_file
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.schemas import (
    EnterpriseCreate,
    EnterpriseFilters,
    EnterpriseListItem,
    EnterpriseRead,
    EnterpriseUpdate,
    ImportReport,
    StatusChange,
)

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])

IfMatch = Annotated[str | None, Header(alias="If-Match", description='ETag of the version you changed, e.g. W/"3".')]


def _respond(enterprise: Enterprise, response: Response) -> EnterpriseRead:
    response.headers["ETag"] = etag(enterprise.version)
    return EnterpriseRead.model_validate(enterprise)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EnterpriseRead, summary="Register an enterprise")
async def register_enterprise(
    body: EnterpriseCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """Register an enterprise in your township or industries; publishes enterprise.registered."""
    enterprise = await service.register_enterprise(uow=uow, data=body)
    response.headers["Location"] = f"{router.prefix}/{enterprise.id}"
    return _respond(enterprise, response)


@router.get("", response_model=Page[EnterpriseListItem], summary="List and search enterprises")
async def list_enterprises(
    filters: Annotated[EnterpriseFilters, Query()],
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> Page[EnterpriseListItem]:
    """Enterprises in your scope, ordered by name; `q` searches the name (substring, Chinese included)."""
    return await service.list_enterprises(uow=uow, filters=filters, page=page)


@router.post("/imports", response_model=ImportReport, summary="Bulk import enterprises from CSV or XLSX")
async def import_enterprises(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX; first row is the heading.")],
    dry_run: bool = Query(True, description="Only validate and report; change nothing."),
    skip_invalid: bool = Query(False, description="Apply the good rows even if some rows are bad."),
    uow: UnitOfWork = Depends(get_uow),
    settings: SupervisorSettings = Depends(service_settings),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> ImportReport:
    """Dry run: every bad row with its line and reason. Apply: all rows in one transaction or none."""
    parsed = read_import_file(await file.read(), file.filename, max_rows=settings.import_max_rows)
    return await service.import_enterprises(uow=uow, parsed=parsed, dry_run=dry_run, skip_invalid=skip_invalid)


@router.get("/{enterprise_id}", response_model=EnterpriseRead, summary="Get an enterprise")
async def get_enterprise(
    enterprise_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> EnterpriseRead:
    """One enterprise in your scope (404 outside it)."""
    return _respond(await service.get_enterprise(uow=uow, enterprise_id=enterprise_id), response)


@router.patch("/{enterprise_id}", response_model=EnterpriseRead, summary="Change an enterprise")
async def update_enterprise(
    enterprise_id: uuid.UUID,
    body: EnterpriseUpdate,
    response: Response,
    if_match: IfMatch = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """Change registry fields; a stale If-Match is a 409. Publishes enterprise.updated."""
    enterprise = await service.update_enterprise(uow=uow, enterprise_id=enterprise_id, data=body, if_match=if_match)
    return _respond(enterprise, response)


async def _status_action(
    target: EnterpriseStatus,
    enterprise_id: uuid.UUID,
    body: StatusChange | None,
    if_match: str | None,
    uow: UnitOfWork,
    response: Response,
) -> EnterpriseRead:
    enterprise = await service.change_status(
        uow=uow, enterprise_id=enterprise_id, target=target, reason=body.reason if body else None, if_match=if_match
    )
    return _respond(enterprise, response)


@router.post("/{enterprise_id}/suspend", response_model=EnterpriseRead, summary="Suspend an enterprise (停产)")
async def suspend_enterprise(
    enterprise_id: uuid.UUID,
    response: Response,
    body: StatusChange | None = None,
    if_match: IfMatch = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """operating -> suspended; publishes enterprise.status_changed."""
    return await _status_action(EnterpriseStatus.SUSPENDED, enterprise_id, body, if_match, uow, response)


@router.post("/{enterprise_id}/resume", response_model=EnterpriseRead, summary="Resume an enterprise (复产)")
async def resume_enterprise(
    enterprise_id: uuid.UUID,
    response: Response,
    body: StatusChange | None = None,
    if_match: IfMatch = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """suspended -> operating; publishes enterprise.status_changed."""
    return await _status_action(EnterpriseStatus.OPERATING, enterprise_id, body, if_match, uow, response)


@router.post("/{enterprise_id}/close", response_model=EnterpriseRead, summary="Close an enterprise (关闭)")
async def close_enterprise(
    enterprise_id: uuid.UUID,
    response: Response,
    body: StatusChange | None = None,
    if_match: IfMatch = None,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*MANAGERS)),
) -> EnterpriseRead:
    """operating/suspended -> closed (final); ends the active assignment. Publishes enterprise.status_changed."""
    return await _status_action(EnterpriseStatus.CLOSED, enterprise_id, body, if_match, uow, response)
