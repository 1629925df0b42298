"""The hazard service's FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE
from hazard_service.hazards.evidence import Evidence
from hazard_service.hazards.photo_links import signed_router
from hazard_service.hazards.router import config_router
from hazard_service.hazards.router import router as hazard_router
from hazard_service.imports.router import router as import_router
from hazard_service.labels import LABELS
from hazard_service.risks.router import router as risk_router
from hazard_service.standards.router import router as standards_router
from hazard_service.upstream.router import readiness as upstream_readiness
from hazard_service.upstream.router import router as upstream_router
from shared.http.app import create_service_app
from shared.http.labels import install_labels


def create_app(settings: HazardSettings) -> FastAPI:
    """Build the hazard API."""

    async def attach_storage(app: FastAPI) -> None:
        app.state.evidence = Evidence.from_settings(settings)

    app = create_service_app(
        settings=settings,
        database=DATABASE,
        title="Hazard service",
        description=(
            "Hazards and their closed loop under 一单四制, supervision listing (挂牌督办), judgment standards, "
            "dual prevention (双重预防) and the upward direct report."
        ),
        routers=[
            hazard_router,
            signed_router,
            config_router,
            standards_router,
            risk_router,
            upstream_router,
            import_router,
        ],
        on_startup=[attach_storage],
        readiness=[upstream_readiness],
    )
    install_labels(app, "hazard", LABELS)
    return app
