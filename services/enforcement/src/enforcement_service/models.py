"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from enforcement_service.cases import models as cases
from enforcement_service.delegations import models as delegations
from enforcement_service.enterprises import models as enterprises
from enforcement_service.inspections import models as inspections
from enforcement_service.leads import models as leads
from enforcement_service.measures import models as measures
from enforcement_service.plans import models as plans

__all__ = ["cases", "delegations", "enterprises", "inspections", "leads", "measures", "plans"]
