"""The hazard service's FastAPI application."""

from fastapi import FastAPI

from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE
from hazard_service.hazards.router import router as hazard_router
from shared.http.app import create_service_app


def create_app(settings: HazardSettings) -> FastAPI:
    """Build the hazard API."""
    return create_service_app(
        settings=settings,
        database=DATABASE,
        title="Hazard service",
        description="Hazards and their closed loop under 一单四制, supervision listing, dual prevention.",
        routers=[hazard_router],
    )
