"""HTTP routes of public posting (上墙公示)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from shared import clock
from shared.auth.dependencies import require_roles
from shared.http.dependencies import ReadSession
from shared.http.openapi_contract import download
from supervisor_service.access import TOWNSHIP_READERS, ReaderScope
from supervisor_service.dependencies import Settings
from supervisor_service.postings import rendering, service
from supervisor_service.postings.domain import NoticeFacts

router = APIRouter(prefix="/api/v1", tags=["public posting"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


async def _notice(
    enterprise_id: uuid.UUID, session: ReadSession, scope: ReaderScope, settings: Settings
) -> NoticeFacts:
    """The facts both forms of an enterprise's notice print."""
    return await service.notice_facts(
        session=session, scope=scope, enterprise_id=enterprise_id, complaint_hotline=settings.complaint_hotline
    )


Notice = Annotated[NoticeFacts, Depends(_notice)]


# A closed enterprise has no notice to post.
CLOSED: dict[int | str, dict[str, object]] = {409: {"description": "The enterprise is closed: nothing to post"}}


@router.get(
    "/enterprises/{enterprise_id}/notice.html",
    response_class=HTMLResponse,
    responses=CLOSED,
    summary="Printable notice of the resident supervisor (HTML)",
)
async def notice_html(facts: Notice) -> HTMLResponse:
    """The enterprise's 公示牌: supervisor name, unit, phone, duties and the complaint hotline."""
    return HTMLResponse(rendering.notice_html(facts))


@router.get(
    "/enterprises/{enterprise_id}/notice.pdf",
    response_class=Response,
    responses={**download("application/pdf"), **CLOSED},
    summary="Printable notice of the resident supervisor (PDF)",
)
async def notice_pdf(facts: Notice) -> Response:
    """The enterprise's 公示牌 as an A4 PDF."""
    content = await run_in_threadpool(partial(rendering.notice_pdf, facts, issued_on=clock.today()))
    return Response(content, media_type="application/pdf", headers=_attachment(f"公示牌-{facts.enterprise_name}.pdf"))


@router.get(
    "/townships/{township_code}/roster.xlsx",
    response_class=Response,
    responses=download(XLSX),
    summary="Roster of resident supervisors of a township (XLSX)",
    dependencies=[Depends(require_roles(*TOWNSHIP_READERS))],
)
async def roster(township_code: str, session: ReadSession, scope: ReaderScope) -> Response:
    """Every enterprise of the township with its resident supervisor, for posting and filing."""
    name, rows = await service.township_roster(session=session, scope=scope, township_code=township_code)
    content = await run_in_threadpool(partial(rendering.roster_xlsx, name, rows, today=clock.today()))
    return Response(content, media_type=XLSX, headers=_attachment(f"{name}派驻监督员名单.xlsx"))
