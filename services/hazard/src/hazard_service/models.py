"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from hazard_service.enterprises import models as enterprises
from hazard_service.hazards import models as hazards
from hazard_service.imports import models as imports
from hazard_service.risks import models as risks
from hazard_service.standards import models as standards
from hazard_service.upstream import models as upstream

__all__ = ["enterprises", "hazards", "imports", "risks", "standards", "upstream"]
