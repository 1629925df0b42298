"""The supervisor service's FastAPI application."""

from fastapi import FastAPI

from shared.http.app import create_service_app
from supervisor_service.config import SupervisorSettings
from supervisor_service.db import DATABASE
from supervisor_service.enterprises.router import router as enterprise_router


def create_app(settings: SupervisorSettings) -> FastAPI:
    """Build the supervisor API."""
    return create_service_app(
        settings=settings,
        database=DATABASE,
        title="Supervisor service",
        description="Enterprise registry (生产经营单位) and resident safety supervisors (派驻监督员).",
        routers=[enterprise_router],
    )
