"""The one shape of a service's import routes: upload (with dry run), template, job list and job read. A service
declares only its kinds (a dependency naming the kind of a request) and how a row of each is applied (a dependency
giving the row use case), and the texts of its operations."""

# No `from __future__ import annotations`: the endpoints' Annotated aliases are local to the installer, and
# FastAPI reads the annotations by evaluating them.
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy import Table

from shared.db import UnitOfWork
from shared.documents.xlsx import XLSX_MEDIA_TYPE
from shared.http.dependencies import ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page, PageParams, page_params
from shared.imports.http import (
    MAX_IMPORT_ROWS,
    DryRun,
    ImportAdmin,
    UploadedFile,
    job_or_404,
    jobs_dependency,
    template_response,
)
from shared.imports.jobs import ImportJobRead, ImportJobs
from shared.imports.reading import ImportKind, read_file
from shared.imports.running import run_import

RowUseCase = Callable[[UnitOfWork, Any], Awaitable[str]]
"""Applies one validated row in the import's unit of work and names its outcome (e.g. "created")."""


@dataclass(frozen=True)
class RowApplier:
    """How the rows of a request's kind are applied, and how many rows one file may hold."""

    apply: RowUseCase
    max_rows: int = MAX_IMPORT_ROWS


@dataclass(frozen=True)
class ImportTexts:
    """The OpenAPI names, summaries and descriptions of a service's four import operations."""

    upload_name: str
    upload_summary: str
    upload_description: str
    template_summary: str
    template_description: str
    list_summary: str
    list_description: str
    get_summary: str
    get_description: str = "total, done and status of an import, readable while it runs."


def one_kind(kind: ImportKind[Any]) -> Callable[[], Awaitable[ImportKind[Any]]]:
    """The kind dependency of a resource importing a single kind (no path parameter)."""

    async def the_kind() -> ImportKind[Any]:
        return kind

    return the_kind


def install_import_routes(
    router: APIRouter,
    *,
    path: str,
    table: Table,
    kind: Callable[..., Awaitable[ImportKind[Any]]],
    rows: Callable[..., Awaitable[RowApplier]],
    texts: ImportTexts,
) -> None:
    """Add the import routes under `router.prefix + path` (`path` "" or with the `{import_kind}` parameter that
    the `kind` dependency reads); `rows` gives the use case of the request's kind."""
    Jobs = Annotated[ImportJobs, Depends(jobs_dependency(table))]
    Kind = Annotated[ImportKind[Any], Depends(kind)]
    Rows = Annotated[RowApplier, Depends(rows)]
    Paging = Annotated[PageParams, Depends(page_params)]

    @router.post(
        path,
        status_code=status.HTTP_201_CREATED,
        response_model=ImportJobRead,
        name=texts.upload_name,
        summary=texts.upload_summary,
        description=texts.upload_description,
    )
    async def upload(
        kind: Kind,
        file: UploadedFile,
        response: Response,
        uow: UoW,
        actor: ImportAdmin,
        jobs: Jobs,
        rows: Rows,
        dry_run: DryRun = False,
    ) -> ImportJobRead:
        """Import the file's rows of the kind, all or none."""
        parsed = read_file(kind, await file.read(), file.filename, max_rows=rows.max_rows)
        job = await run_import(
            uow=uow,
            jobs=jobs,
            actor=actor,
            kind=kind,
            parsed=parsed,
            file_name=file.filename,
            dry_run=dry_run,
            apply=rows.apply,
        )
        # Under its kind's own path, so a gateway routes the job read with the kind's service.
        response.headers["Location"] = f"{router.prefix}{path.format(import_kind=job.kind)}/jobs/{job.id}"
        return job

    @router.get(
        f"{path}/template.xlsx",
        response_class=Response,
        responses=download(XLSX_MEDIA_TYPE),
        name="import_template",
        summary=texts.template_summary,
        description=texts.template_description,
    )
    async def template(kind: Kind, actor: ImportAdmin) -> Response:
        """The kind's empty template."""
        return template_response(kind)

    @router.get(
        f"{path}/jobs",
        response_model=Page[ImportJobRead],
        name="list_imports",
        summary=texts.list_summary,
        description=texts.list_description,
    )
    async def list_jobs(
        kind: Kind, page: Paging, session: ReadSession, jobs: Jobs, actor: ImportAdmin
    ) -> Page[ImportJobRead]:
        """The kind's imports, newest first."""
        return await jobs.page(session, kind=kind.name, page=page)

    @router.get(
        f"{path}/jobs/{{job_id}}",
        response_model=ImportJobRead,
        name="get_import",
        summary=texts.get_summary,
        description=texts.get_description,
    )
    async def get_job(
        kind: Kind, job_id: uuid.UUID, session: ReadSession, jobs: Jobs, actor: ImportAdmin
    ) -> ImportJobRead:
        """One import of the kind."""
        return await job_or_404(jobs, session, kind.name, job_id)
