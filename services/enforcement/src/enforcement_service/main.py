"""The enforcement service's FastAPI application."""

from fastapi import FastAPI

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.inspections.router import router as inspection_router
from shared.http.app import create_service_app


def create_app(settings: EnforcementSettings) -> FastAPI:
    """Build the enforcement API."""
    return create_service_app(
        settings=settings,
        database=DATABASE,
        title="Enforcement service",
        description="Inspections and administrative penalty cases from filing to archive.",
        routers=[inspection_router],
    )
