"""What the reporting worker runs."""

from reporting_service.config import ReportingSettings
from reporting_service.db import DATABASE
from reporting_service.handlers import events
from shared.contracts.topics import ENFORCEMENT_EVENTS, HAZARD_EVENTS
from shared.messaging.consumer import ConsumerSpec
from shared.worker import Worker

PROJECTIONS = ConsumerSpec(
    group="reporting.projections", topics=[HAZARD_EVENTS, ENFORCEMENT_EVENTS], handlers=events.HANDLERS
)


def build_worker(settings: ReportingSettings) -> Worker:
    """The reporting worker: the statistics projections (reporting publishes no events)."""
    return Worker(settings=settings, database=DATABASE, consumers=[PROJECTIONS], relay=False)
