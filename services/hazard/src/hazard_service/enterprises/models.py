"""The enterprise read model, kept from supervisor events (columns and handlers in shared)."""

from hazard_service.db import Base
from shared.readmodels.enterprises import EnterpriseViewColumns


class EnterpriseView(EnterpriseViewColumns, Base):
    """What the hazard service knows of an enterprise."""

    __tablename__ = "enterprise_view"
