"""A service's labels endpoint, and its OpenAPI document's enums described with the same labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI

from shared.contracts.labels import Labels
from shared.http.dependencies import CurrentPrincipal


def install_labels(app: FastAPI, service: str, labels: Labels) -> None:
    """Serve `labels` at GET /api/v1/<service>-labels to any signed-in caller and describe the document's enums."""
    router = APIRouter(tags=["labels"])

    @router.get(
        f"/api/v1/{service}-labels",
        summary=f"Chinese labels of the {service} service's codes",
        response_description="{enum name: {code: 中文 label}}, the same labels as the document's enum descriptions",
    )
    async def list_labels(_: CurrentPrincipal) -> dict[str, dict[str, str]]:
        """The Chinese label of every code of every enum this service's API uses, by enum name (any signed-in role)."""
        return labels.labels

    app.include_router(router)
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        described = app.openapi_schema is not None
        document = generate()
        return document if described else labels.describe(document)

    app.openapi = openapi  # type: ignore[method-assign]
