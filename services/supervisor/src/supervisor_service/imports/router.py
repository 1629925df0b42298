"""HTTP routes of the registry's historical import (city administrator only)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from shared.documents.xlsx import XLSX_MEDIA_TYPE
from shared.http.dependencies import ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page
from shared.imports import ImportJobRead, ImportJobs, read_file
from shared.imports.http import (
    DryRun,
    ImportAdmin,
    UploadedFile,
    job_location,
    job_or_404,
    jobs_dependency,
    template_response,
)
from supervisor_service.dependencies import CurrentRules, Settings
from supervisor_service.imports import service
from supervisor_service.imports.models import IMPORT_JOB
from supervisor_service.imports.schemas import KINDS
from supervisor_service.listing import Paging

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
Jobs = Annotated[ImportJobs, Depends(jobs_dependency(IMPORT_JOB))]


class Kind(StrEnum):
    """What an import file of the registry holds."""

    ENTERPRISES = "enterprises"
    SUPERVISORS = "supervisors"
    ASSIGNMENTS = "assignments"


@router.post(
    "/{import_kind}",
    status_code=status.HTTP_201_CREATED,
    response_model=ImportJobRead,
    summary="Import history (CSV/XLSX)",
)
async def import_history(
    import_kind: Kind,
    file: UploadedFile,
    response: Response,
    uow: UoW,
    actor: ImportAdmin,
    jobs: Jobs,
    settings: Settings,
    rules: CurrentRules,
    dry_run: DryRun = False,
) -> ImportJobRead:
    """Enterprises, supervisors or assignments with their effective dates, all rows or none (422 naming each
    bad row as rows[N].field, N the spreadsheet row); progress at /api/v1/imports/{import_kind}/jobs while it runs."""
    parsed = read_file(KINDS[import_kind], await file.read(), file.filename, max_rows=settings.import_max_rows)
    job = await service.import_rows(
        uow=uow,
        jobs=jobs,
        actor=actor,
        kind=KINDS[import_kind],
        parsed=parsed,
        file_name=file.filename,
        dry_run=dry_run,
        rules=rules,
    )
    response.headers["Location"] = job_location(router.prefix, job)
    return job


@router.get(
    "/{import_kind}/template.xlsx",
    response_class=Response,
    responses=download(XLSX_MEDIA_TYPE),
    summary="Template of an import file (XLSX)",
)
async def import_template(import_kind: Kind, actor: ImportAdmin) -> Response:
    """An empty sheet with the kind's Chinese headings (required ones shaded)."""
    return template_response(KINDS[import_kind])


@router.get(
    "/{import_kind}/jobs", response_model=Page[ImportJobRead], summary="Imports, newest first, running ones included"
)
async def list_imports(
    import_kind: Kind, page: Paging, session: ReadSession, jobs: Jobs, actor: ImportAdmin
) -> Page[ImportJobRead]:
    """The imports of the kind, newest first: a running one shows how many of its rows are done."""
    return await jobs.page(session, kind=import_kind, page=page)


@router.get("/{import_kind}/jobs/{job_id}", response_model=ImportJobRead, summary="An import's progress and outcome")
async def get_import(
    import_kind: Kind, job_id: uuid.UUID, session: ReadSession, jobs: Jobs, actor: ImportAdmin
) -> ImportJobRead:
    """total, done and status of an import, readable while it runs."""
    return await job_or_404(jobs, session, import_kind, job_id)
