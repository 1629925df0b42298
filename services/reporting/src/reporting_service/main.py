"""The reporting service's FastAPI application."""

from fastapi import FastAPI

from reporting_service.config import ReportingSettings
from reporting_service.db import DATABASE
from reporting_service.labels import LABELS
from reporting_service.reports.router import router as reports_router
from reporting_service.statistics.router import router as statistics_router
from shared.http.app import create_service_app
from shared.http.labels import install_labels


def create_app(settings: ReportingSettings) -> FastAPI:
    """Build the reporting API."""
    app = create_service_app(
        settings=settings,
        database=DATABASE,
        title="Reporting service",
        description="Statistics kept current from the event stream, and the reports officials send.",
        routers=[statistics_router, reports_router],
    )
    install_labels(app, "reporting", LABELS)
    return app
