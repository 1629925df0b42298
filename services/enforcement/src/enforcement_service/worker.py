"""What the enforcement worker runs."""

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.handlers import enterprises, hazards
from enforcement_service.jobs import clock_warning_job
from shared.contracts.topics import HAZARD_EVENTS, SUPERVISOR_EVENTS
from shared.messaging.consumer import ConsumerSpec
from shared.worker import Worker

ENTERPRISE_PROJECTION = ConsumerSpec(
    group="enforcement.enterprise-projection", topics=[SUPERVISOR_EVENTS], handlers=enterprises.HANDLERS
)
HAZARD_LEADS = ConsumerSpec(group="enforcement.case-leads", topics=[HAZARD_EVENTS], handlers=hazards.HANDLERS)


def build_worker(settings: EnforcementSettings) -> Worker:
    """The enforcement worker: outbox relay, the enterprise read model, case leads and the legal clocks."""
    return Worker(
        settings=settings,
        database=DATABASE,
        consumers=[ENTERPRISE_PROJECTION, HAZARD_LEADS],
        jobs=[clock_warning_job(settings)],
    )
