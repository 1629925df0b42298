"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from supervisor_service.assignments import models as assignments
from supervisor_service.enterprises import models as enterprises
from supervisor_service.imports import models as imports
from supervisor_service.reference import models as reference
from supervisor_service.supervisors import models as supervisors
from supervisor_service.visits import models as visits

__all__ = ["assignments", "enterprises", "imports", "reference", "supervisors", "visits"]
