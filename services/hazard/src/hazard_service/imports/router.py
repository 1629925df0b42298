"""HTTP routes of the hazards' historical import (city administrator only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from hazard_service.hazards.router import Settings
from hazard_service.imports import service
from hazard_service.imports.models import IMPORT_JOB
from hazard_service.imports.schemas import HAZARDS
from shared.documents.xlsx import XLSX_MEDIA_TYPE
from shared.http.dependencies import ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page, PageParams, page_params
from shared.imports import ImportJobRead, ImportJobs, read_file
from shared.imports.http import (
    MAX_IMPORT_ROWS,
    DryRun,
    ImportAdmin,
    UploadedFile,
    job_or_404,
    jobs_dependency,
    template_response,
)

# Its own resource, so a gateway routing by the first path segment sends it here (the registry's are /imports).
router = APIRouter(prefix="/api/v1/hazard-imports", tags=["imports"])
Jobs = Annotated[ImportJobs, Depends(jobs_dependency(IMPORT_JOB))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ImportJobRead, summary="Import hazards (CSV/XLSX)")
async def import_hazards(
    file: UploadedFile,
    response: Response,
    uow: UoW,
    actor: ImportAdmin,
    jobs: Jobs,
    settings: Settings,
    dry_run: DryRun = False,
) -> ImportJobRead:
    """General hazards with the days of their closed loop (found, deadline, rectified, verified, closed), all
    rows or none (422 naming each bad row as rows[N].field); progress at /api/v1/hazard-imports/jobs."""
    parsed = read_file(HAZARDS, await file.read(), file.filename, max_rows=MAX_IMPORT_ROWS)
    job = await service.import_hazards(
        uow=uow, jobs=jobs, actor=actor, settings=settings, parsed=parsed, file_name=file.filename, dry_run=dry_run
    )
    response.headers["Location"] = f"{router.prefix}/jobs/{job.id}"
    return job


@router.get(
    "/template.xlsx",
    response_class=Response,
    responses=download(XLSX_MEDIA_TYPE),
    summary="Template of the hazard import file (XLSX)",
)
async def import_template(actor: ImportAdmin) -> Response:
    """An empty sheet with the Chinese headings (required ones shaded)."""
    return template_response(HAZARDS)


@router.get("/jobs", response_model=Page[ImportJobRead], summary="Hazard imports, newest first")
async def list_imports(
    session: ReadSession, jobs: Jobs, actor: ImportAdmin, page: PageParams = Depends(page_params)
) -> Page[ImportJobRead]:
    """The hazard imports, newest first: a running one shows how many of its rows are done."""
    return await jobs.page(session, kind=HAZARDS.name, page=page)


@router.get("/jobs/{job_id}", response_model=ImportJobRead, summary="A hazard import's progress and outcome")
async def get_import(job_id: uuid.UUID, session: ReadSession, jobs: Jobs, actor: ImportAdmin) -> ImportJobRead:
    """total, done and status of an import, readable while it runs."""
    return await job_or_404(jobs, session, HAZARDS.name, job_id)
