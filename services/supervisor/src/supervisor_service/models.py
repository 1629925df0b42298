"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from supervisor_service.enterprises import models as enterprises

__all__ = ["enterprises"]
