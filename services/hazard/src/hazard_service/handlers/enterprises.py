"""Apply the supervisor service's enterprise and assignment events to the local read models."""

from hazard_service.enterprises.models import AssignmentView, EnterpriseView
from shared.readmodels.assignments import assignment_view_handlers
from shared.readmodels.enterprises import enterprise_view_handlers

HANDLERS = enterprise_view_handlers(EnterpriseView)
ASSIGNMENT_HANDLERS = assignment_view_handlers(AssignmentView)
