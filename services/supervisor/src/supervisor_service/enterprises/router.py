"""HTTP routes of the enterprise registry."""

# Without `from __future__ import annotations`: FastAPI reads the action's dataclass fields as real types.

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile, status

from shared.http.concurrency import with_etag
from shared.http.dependencies import IfMatch, ReadSession, UoW
from shared.http.pagination import Page
from supervisor_service.access import Manager, ReaderScope
from supervisor_service.dependencies import Settings
from supervisor_service.enterprises import service
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.importing import read_import_file
from supervisor_service.enterprises.schemas import (
    ENTERPRISE_ROWS,
    EnterpriseCreate,
    EnterpriseFilters,
    EnterpriseListItem,
    EnterpriseRead,
    EnterpriseUpdate,
    ImportReport,
    StatusChange,
)
from supervisor_service.listing import Paging

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])


@dataclass
class _Action:
    """A manager's change of one enterprise: what each such endpoint takes, and the one way each answers."""

    enterprise_id: uuid.UUID
    response: Response
    actor: Manager
    uow: UoW
    if_match: IfMatch = None

    async def change_status(self, target: EnterpriseStatus, body: StatusChange | None) -> EnterpriseRead:
        """Move the enterprise to `target` and answer with its new state and ETag."""
        enterprise = await service.change_status(
            uow=self.uow,
            actor=self.actor,
            enterprise_id=self.enterprise_id,
            target=target,
            reason=body.reason if body else None,
            if_match=self.if_match,
        )
        return with_etag(EnterpriseRead.model_validate(enterprise), self.response)


EnterpriseAction = Annotated[_Action, Depends()]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EnterpriseRead, summary="Register an enterprise")
async def register_enterprise(body: EnterpriseCreate, response: Response, uow: UoW, actor: Manager) -> EnterpriseRead:
    """Register an enterprise in your township or industries; publishes enterprise.registered."""
    enterprise = await service.register_enterprise(uow=uow, actor=actor, data=body)
    response.headers["Location"] = f"{router.prefix}/{enterprise.id}"
    return with_etag(EnterpriseRead.model_validate(enterprise), response)


@router.get("", response_model=Page[EnterpriseListItem], summary="List and search enterprises")
async def list_enterprises(
    filters: Annotated[EnterpriseFilters, Query()], page: Paging, session: ReadSession, scope: ReaderScope
) -> Response:
    """Enterprises in your scope, ordered by name; `q` searches the name (substring, Chinese included)."""
    rows, cursor, total = await service.list_enterprises(session=session, scope=scope, filters=filters, page=page)
    return ENTERPRISE_ROWS.page(rows, next_cursor=cursor, total=total)


@router.post("/imports", response_model=ImportReport, summary="Bulk import enterprises from CSV or XLSX")
async def import_enterprises(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX; first row is the heading.")],
    uow: UoW,
    actor: Manager,
    settings: Settings,
    dry_run: bool = Query(True, description="Only validate and report; change nothing."),
    skip_invalid: bool = Query(False, description="Apply the good rows even if some rows are bad."),
) -> ImportReport:
    """Dry run: every bad row with its line and reason. Apply: all rows in one transaction or none."""
    parsed = read_import_file(await file.read(), file.filename, max_rows=settings.import_max_rows)
    return await service.import_enterprises(
        uow=uow, actor=actor, parsed=parsed, dry_run=dry_run, skip_invalid=skip_invalid
    )


@router.get("/{enterprise_id}", response_model=EnterpriseRead, summary="Get an enterprise")
async def get_enterprise(
    enterprise_id: uuid.UUID, response: Response, session: ReadSession, scope: ReaderScope
) -> EnterpriseRead:
    """One enterprise in your scope (404 outside it)."""
    enterprise = await service.get_enterprise(session=session, scope=scope, enterprise_id=enterprise_id)
    return with_etag(EnterpriseRead.model_validate(enterprise), response)


@router.patch("/{enterprise_id}", response_model=EnterpriseRead, summary="Change an enterprise")
async def update_enterprise(action: EnterpriseAction, body: EnterpriseUpdate) -> EnterpriseRead:
    """Change registry fields; a stale If-Match is a 409. Publishes enterprise.updated."""
    enterprise = await service.update_enterprise(
        uow=action.uow, actor=action.actor, enterprise_id=action.enterprise_id, data=body, if_match=action.if_match
    )
    return with_etag(EnterpriseRead.model_validate(enterprise), action.response)


@router.post("/{enterprise_id}/suspend", response_model=EnterpriseRead, summary="Suspend an enterprise (停产)")
async def suspend_enterprise(action: EnterpriseAction, body: StatusChange | None = None) -> EnterpriseRead:
    """operating -> suspended; publishes enterprise.status_changed."""
    return await action.change_status(EnterpriseStatus.SUSPENDED, body)


@router.post("/{enterprise_id}/resume", response_model=EnterpriseRead, summary="Resume an enterprise (复产)")
async def resume_enterprise(action: EnterpriseAction, body: StatusChange | None = None) -> EnterpriseRead:
    """suspended -> operating; publishes enterprise.status_changed."""
    return await action.change_status(EnterpriseStatus.OPERATING, body)


@router.post("/{enterprise_id}/close", response_model=EnterpriseRead, summary="Close an enterprise (关闭)")
async def close_enterprise(action: EnterpriseAction, body: StatusChange | None = None) -> EnterpriseRead:
    """operating/suspended -> closed (final); ends the active assignment. Publishes enterprise.status_changed."""
    return await action.change_status(EnterpriseStatus.CLOSED, body)
