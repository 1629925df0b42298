"""What the enforcement worker runs."""

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from shared.worker import Worker


def build_worker(settings: EnforcementSettings) -> Worker:
    """The enforcement worker: its outbox relay."""
    return Worker(settings=settings, database=DATABASE)
