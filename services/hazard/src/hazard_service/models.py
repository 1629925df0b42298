"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from hazard_service.enterprises import models as enterprises
from hazard_service.hazards import models as hazards

__all__ = ["enterprises", "hazards"]
