"""HTTP routes of public posting (上墙公示)."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter, Depends, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.dependencies import get_uow
from supervisor_service.access import READERS
from supervisor_service.config import SupervisorSettings
from supervisor_service.dependencies import service_settings
from supervisor_service.postings import rendering, service

router = APIRouter(prefix="/api/v1", tags=["public posting"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


@router.get(
    "/enterprises/{enterprise_id}/notice.html",
    response_class=HTMLResponse,
    summary="Printable notice of the resident supervisor (HTML)",
)
async def notice_html(
    enterprise_id: uuid.UUID,
    uow: UnitOfWork = Depends(get_uow),
    settings: SupervisorSettings = Depends(service_settings),
    _: Principal = Depends(require_roles(*READERS)),
) -> HTMLResponse:
    """The enterprise's 公示牌: supervisor name, unit, phone, duties and the complaint hotline."""
    facts = await service.notice_facts(
        uow=uow, enterprise_id=enterprise_id, complaint_hotline=settings.complaint_hotline
    )
    return HTMLResponse(rendering.notice_html(facts))


@router.get(
    "/enterprises/{enterprise_id}/notice.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="Printable notice of the resident supervisor (PDF)",
)
async def notice_pdf(
    enterprise_id: uuid.UUID,
    uow: UnitOfWork = Depends(get_uow),
    settings: SupervisorSettings = Depends(service_settings),
    _: Principal = Depends(require_roles(*READERS)),
) -> Response:
    """The enterprise's 公示牌 as an A4 PDF."""
    facts = await service.notice_facts(
        uow=uow, enterprise_id=enterprise_id, complaint_hotline=settings.complaint_hotline
    )
    content = await run_in_threadpool(rendering.notice_pdf, facts)
    return Response(content, media_type="application/pdf", headers=_attachment(f"公示牌-{facts.enterprise_name}.pdf"))


@router.get(
    "/townships/{township_code}/roster.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="Roster of resident supervisors of a township (XLSX)",
)
async def roster(
    township_code: str,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*READERS)),
) -> Response:
    """Every enterprise of the township with its resident supervisor, for posting and filing."""
    name, rows = await service.township_roster(uow=uow, township_code=township_code)
    content = await run_in_threadpool(rendering.roster_xlsx, name, rows)
    return Response(content, media_type=XLSX, headers=_attachment(f"{name}派驻监督员名单.xlsx"))
