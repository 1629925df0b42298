"""What the reporting worker runs: the projections consumer (reporting publishes no events)."""

from reporting_service.config import ReportingSettings
from reporting_service.db import DATABASE
from reporting_service.handlers.events import consumed_event_types, make_after_batch, make_handler
from reporting_service.projections.service import Projector
from reporting_service.rules import supervision_rules
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.consumer import ConsumerSpec
from shared.worker import Worker

GROUP = "reporting.projections"


def projections_consumer(projector: Projector) -> ConsumerSpec:
    """The consumer group that logs and projects every event of the three topics."""
    handler = make_handler(projector)
    return ConsumerSpec(group=GROUP, topics=list(ALL_TOPICS), handlers=dict.fromkeys(consumed_event_types(), handler))


def build_worker(settings: ReportingSettings) -> Worker:
    """The reporting worker; run several replicas, they share the group's partitions."""
    projector = Projector(supervision_rules(settings.coverage_min_employees))
    return Worker(
        settings=settings,
        database=DATABASE,
        consumers=[projections_consumer(projector)],
        relay=False,
        after_batch=make_after_batch(projector),
    )
