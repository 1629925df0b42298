"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from reporting_service.statistics import models as statistics

__all__ = ["statistics"]
