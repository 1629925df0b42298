"""The supervisor service's FastAPI application."""

from fastapi import FastAPI

from shared.http.app import create_service_app
from shared.http.labels import install_labels
from supervisor_service.assignments.router import router as assignment_router
from supervisor_service.config import SupervisorSettings
from supervisor_service.coverage.router import router as coverage_router
from supervisor_service.db import DATABASE
from supervisor_service.enterprises.router import router as enterprise_router
from supervisor_service.imports.router import router as import_router
from supervisor_service.labels import LABELS
from supervisor_service.postings.router import router as posting_router
from supervisor_service.reference.router import router as reference_router
from supervisor_service.supervisors.router import router as supervisor_router
from supervisor_service.visits.router import router as visit_router


def create_app(settings: SupervisorSettings) -> FastAPI:
    """Build the supervisor API."""
    app = create_service_app(
        settings=settings,
        database=DATABASE,
        title="Supervisor service",
        description=(
            "Enterprise registry (生产经营单位), resident safety supervisors (派驻监督员), assignments, coverage, "
            "public posting (上墙公示) and visit logs. Rates are exact integer ratios rounded half-up to 4 decimals."
        ),
        # The visit router holds /supervisors/inactive, which must match before /supervisors/{supervisor_id}.
        routers=[
            reference_router,
            enterprise_router,
            posting_router,
            visit_router,
            supervisor_router,
            assignment_router,
            coverage_router,
            import_router,
        ],
    )
    install_labels(app, "supervisor", LABELS)
    return app
