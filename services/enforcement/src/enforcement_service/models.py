"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from enforcement_service.inspections import models as inspections

__all__ = ["inspections"]
