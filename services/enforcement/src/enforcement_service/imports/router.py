"""HTTP routes of the penalty cases' historical import (city administrator only)."""

from __future__ import annotations

from fastapi import APIRouter

from enforcement_service.access import Rules, Settings
from enforcement_service.imports.models import IMPORT_JOB
from enforcement_service.imports.schemas import SIMPLIFIED_CASES
from enforcement_service.imports.service import SimplifiedCaseSteps
from shared.imports.http import ImportAdmin
from shared.imports.routes import ImportTexts, RowApplier, install_import_routes, one_kind

# Its own resource, so a gateway routing by the first path segment sends it here (the registry's are /imports).
router = APIRouter(prefix="/api/v1/case-imports", tags=["imports"])


async def case_rows(actor: ImportAdmin, settings: Settings, rules: Rules) -> RowApplier:
    """Each row's case, decided and closed as the importing administrator."""
    return RowApplier(SimplifiedCaseSteps(actor, settings, rules).apply)


install_import_routes(
    router,
    path="",
    table=IMPORT_JOB,
    kind=one_kind(SIMPLIFIED_CASES),
    rows=case_rows,
    texts=ImportTexts(
        upload_name="import_cases",
        upload_summary="Import closed penalty cases (CSV/XLSX)",
        upload_description="Penalties decided on the spot (简易程序) or under the general procedure (一般程序, stop"
        " orders and closures included) with the days they were paid, executed and closed, all rows or none"
        " (422 naming each bad row as rows[N].field); progress at /api/v1/case-imports/jobs.",
        template_summary="Template of the case import file (XLSX)",
        template_description="An empty sheet with the Chinese headings (required ones shaded).",
        list_summary="Case imports, newest first",
        list_description="The case imports, newest first: a running one shows how many of its rows are done.",
        get_summary="A case import's progress and outcome",
    ),
)
