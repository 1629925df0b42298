"""The reporting service's FastAPI application."""

from fastapi import FastAPI

from reporting_service.config import ReportingSettings
from reporting_service.db import DATABASE
from reporting_service.reports.router import router as reports_router
from reporting_service.statistics.router import router as statistics_router
from shared.http.app import create_service_app


def create_app(settings: ReportingSettings) -> FastAPI:
    """Build the reporting API."""
    return create_service_app(
        settings=settings,
        database=DATABASE,
        title="Reporting service",
        description="Statistics kept current from the event stream, and the reports officials send.",
        routers=[statistics_router, reports_router],
    )
