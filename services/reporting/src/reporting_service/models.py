"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from reporting_service.projections import models as projections

__all__ = ["projections"]
