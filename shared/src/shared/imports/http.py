"""The HTTP pieces every service's import routes share: who may import, the upload, the dry-run switch, the job
reader and the template download."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, File, Query, Request, Response, UploadFile
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.documents.xlsx import XLSX_MEDIA_TYPE
from shared.errors import NotFound
from shared.imports.jobs import ImportJobRead, ImportJobs
from shared.imports.reading import ImportKind
from shared.imports.template import template_workbook

# Importing history rewrites the figures of past periods: the city administrator's decision alone.
ImportAdmin = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN))]
UploadedFile = Annotated[
    UploadFile,
    File(description="CSV (UTF-8 with or without BOM, or GBK) or XLSX; the first row holds the headings."),
]
# Rows one file may hold: a township's whole history fits; a larger file is split.
MAX_IMPORT_ROWS = 20_000
DryRun = Annotated[bool, Query(description="true: validate every row and report the counts; write nothing.")]


def jobs_dependency(table: Table) -> Callable[[Request], Awaitable[ImportJobs]]:
    """A dependency giving the service's import jobs (kept in `table`)."""

    # async: a plain `def` dependency would hop to the thread pool on every request.
    async def jobs(request: Request) -> ImportJobs:
        return ImportJobs(request.app.state.sessionmaker, table)

    return jobs


def job_location(prefix: str, job: ImportJobRead) -> str:
    """Where an import job is read: under its kind, so a gateway routes it with the kind's service."""
    return f"{prefix}/{job.kind}/jobs/{job.id}"


async def job_or_404(jobs: ImportJobs, session: AsyncSession, kind: str, job_id: uuid.UUID) -> ImportJobRead:
    """One import job of `kind` (404 when there is none)."""
    job = await jobs.get(session, job_id, kind=kind)
    if job is None:
        raise NotFound(f"import {job_id} not found")
    return job


def template_response(kind: ImportKind[Any]) -> Response:
    """The kind's XLSX template as a download."""
    filename = quote(f"{kind.title}模板.xlsx")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"}
    return Response(template_workbook(kind), media_type=XLSX_MEDIA_TYPE, headers=headers)
