"""Apply the supervisor service's enterprise events to the local read model."""

from enforcement_service.enterprises.models import EnterpriseView
from shared.readmodels.enterprises import enterprise_view_handlers

HANDLERS = enterprise_view_handlers(EnterpriseView)
