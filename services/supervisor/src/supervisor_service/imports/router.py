"""HTTP routes of the registry's historical import (city administrator only)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from shared.imports import ImportKind
from shared.imports.http import ImportAdmin
from shared.imports.routes import ImportTexts, RowApplier, install_import_routes
from supervisor_service.dependencies import CurrentRules, Settings
from supervisor_service.imports import service
from supervisor_service.imports.models import IMPORT_JOB
from supervisor_service.imports.schemas import KINDS

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])


class Kind(StrEnum):
    """What an import file of the registry holds."""

    ENTERPRISES = "enterprises"
    SUPERVISORS = "supervisors"
    ASSIGNMENTS = "assignments"


async def registry_kind(import_kind: Kind) -> ImportKind[Any]:
    """The kind the path names."""
    return KINDS[import_kind]


async def registry_rows(
    kind: Annotated[ImportKind[Any], Depends(registry_kind)],
    actor: ImportAdmin,
    settings: Settings,
    rules: CurrentRules,
    request: Request,
) -> RowApplier:
    """The kind's registration or assignment, within the administrator's scope and today's rules."""
    apply = await service.row_use_case(request.app.state.sessionmaker, actor, kind, rules)
    return RowApplier(apply, max_rows=settings.import_max_rows)


install_import_routes(
    router,
    path="/{import_kind}",
    table=IMPORT_JOB,
    kind=registry_kind,
    rows=registry_rows,
    texts=ImportTexts(
        upload_name="import_history",
        upload_summary="Import history (CSV/XLSX)",
        upload_description="Enterprises, supervisors or assignments with their effective dates, all rows or none"
        " (422 naming each\nbad row as rows[N].field, N the spreadsheet row); progress at"
        " /api/v1/imports/{import_kind}/jobs while it runs.",
        template_summary="Template of an import file (XLSX)",
        template_description="An empty sheet with the kind's Chinese headings (required ones shaded).",
        list_summary="Imports, newest first, running ones included",
        list_description="The imports of the kind, newest first: a running one shows how many of its rows are done.",
        get_summary="An import's progress and outcome",
    ),
)
