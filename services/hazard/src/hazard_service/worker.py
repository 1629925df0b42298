"""What the hazard worker runs."""

from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE
from hazard_service.handlers import enterprises
from shared.contracts.topics import SUPERVISOR_EVENTS
from shared.messaging.consumer import ConsumerSpec
from shared.worker import Worker

ENTERPRISE_PROJECTION = ConsumerSpec(
    group="hazard.enterprise-projection", topics=[SUPERVISOR_EVENTS], handlers=enterprises.HANDLERS
)


def build_worker(settings: HazardSettings) -> Worker:
    """The hazard worker: outbox relay and the enterprise read model."""
    return Worker(settings=settings, database=DATABASE, consumers=[ENTERPRISE_PROJECTION])
