"""The enterprise and assignment read models, kept from supervisor events (columns and handlers in shared)."""

from hazard_service.db import Base
from shared.readmodels.assignments import AssignmentViewColumns
from shared.readmodels.enterprises import EnterpriseViewColumns


class EnterpriseView(EnterpriseViewColumns, Base):
    """What the hazard service knows of an enterprise."""

    __tablename__ = "enterprise_view"


class AssignmentView(AssignmentViewColumns, Base):
    """Which resident supervisor is assigned to which enterprise, and when (a supervisor reports only there)."""

    __tablename__ = "assignment_view"
