"""HTTP routes of the hazards' historical import (city administrator only)."""

from __future__ import annotations

from fastapi import APIRouter

from hazard_service.hazards.router import Settings
from hazard_service.imports.models import IMPORT_JOB
from hazard_service.imports.schemas import HAZARDS
from hazard_service.imports.service import HazardSteps
from shared.imports.http import ImportAdmin
from shared.imports.routes import ImportTexts, RowApplier, install_import_routes, one_kind

# Its own resource, so a gateway routing by the first path segment sends it here (the registry's are /imports).
router = APIRouter(prefix="/api/v1/hazard-imports", tags=["imports"])


async def hazard_rows(actor: ImportAdmin, settings: Settings) -> RowApplier:
    """Each row's closed loop, taken as the importing administrator."""
    return RowApplier(HazardSteps(actor, settings).apply)


install_import_routes(
    router,
    path="",
    table=IMPORT_JOB,
    kind=one_kind(HAZARDS),
    rows=hazard_rows,
    texts=ImportTexts(
        upload_name="import_hazards",
        upload_summary="Import hazards (CSV/XLSX)",
        upload_description="General hazards with the days of their closed loop (found, deadline, rectified, verified,"
        " closed), all\nrows or none (422 naming each bad row as rows[N].field); progress at"
        " /api/v1/hazard-imports/jobs.",
        template_summary="Template of the hazard import file (XLSX)",
        template_description="An empty sheet with the Chinese headings (required ones shaded).",
        list_summary="Hazard imports, newest first",
        list_description="The hazard imports, newest first: a running one shows how many of its rows are done.",
        get_summary="A hazard import's progress and outcome",
    ),
)
