"""The enforcement service's FastAPI application."""

from fastapi import FastAPI

from enforcement_service.cases.router import router as case_router
from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.delegations.router import router as delegation_router
from enforcement_service.imports.router import router as import_router
from enforcement_service.inspections.router import router as inspection_router
from enforcement_service.labels import LABELS
from enforcement_service.leads.router import router as lead_router
from enforcement_service.measures.router import router as measure_router
from enforcement_service.plans.router import router as plan_router
from shared.http.app import create_service_app
from shared.http.labels import install_labels


def create_app(settings: EnforcementSettings) -> FastAPI:
    """Build the enforcement API."""
    app = create_service_app(
        settings=settings,
        database=DATABASE,
        title="Enforcement service",
        description=(
            "Inspections, administrative penalty cases from filing to archive (general and simplified procedures, "
            "legal clocks, late charges exact to the fen), township delegated enforcement, crackdowns, interviews, "
            "exposures, typical cases, annual plans and case leads. Money is in integer fen."
        ),
        routers=[
            inspection_router,
            case_router,
            delegation_router,
            measure_router,
            plan_router,
            lead_router,
            import_router,
        ],
    )
    install_labels(app, "enforcement", LABELS)
    return app
